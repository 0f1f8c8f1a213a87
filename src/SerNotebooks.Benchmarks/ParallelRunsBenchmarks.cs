using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace SerNotebooks.Benchmarks;

/// <summary>
/// README's main command as a user runs it on a fresh clone (empty output folder: corpus generation, features, labels,
/// every run, charts and, unless told otherwise, the notebook report), once per <c>--jobs</c> value, one after the other
/// on the same machine: wall time, CPU time of the command and its workers, peak RSS of the largest process, and whether
/// the tables are byte-identical between the jobs values.
/// </summary>
internal static class ParallelRunsBenchmarks
{
    /// <summary>reproduce-jobs SERNB PROFILE JOBS[,JOBS…] [--no-notebooks] [extra reproduce options…]</summary>
    public static void Reproduce(string[] args)
    {
        if (args.Length < 3)
        {
            throw new ArgumentException("usage: reproduce-jobs <path to the sernb apphost> <profile> <jobs,jobs,...> [--no-notebooks] [reproduce options...]");
        }
        var sernb = Path.GetFullPath(args[0]);
        var profile = args[1];
        var jobs = args[2].Split(',').Select(j => int.Parse(j, CultureInfo.InvariantCulture)).ToArray();
        var extra = args[3..];
        var scratch = Path.Combine(Path.GetTempPath(), "sernb-bench-jobs-" + Guid.NewGuid().ToString("N")[..8]);
        Console.WriteLine($"sernb {sernb}; profile {profile}; each run into an empty folder under {scratch}");
        var rows = new List<(int Jobs, TimeSpan Wall, double CpuSeconds, long PeakRssKb, string Tables, int Exit)>();
        foreach (var n in jobs)
        {
            var output = Path.Combine(scratch, $"jobs{n}");
            var timeFile = Path.Combine(scratch, $"jobs{n}.time");
            Directory.CreateDirectory(output);
            // GNU time reports the command's own CPU plus that of every child it waited for (the workers), and the
            // largest single process's peak RSS.
            var start = new ProcessStartInfo("/usr/bin/time") { UseShellExecute = false };
            foreach (var argument in new[] { "-f", "%e %U %S %M", "-o", timeFile, sernb, "reproduce", "--profile", profile, "--jobs", n.ToString(CultureInfo.InvariantCulture), "--out", output }.Concat(extra))
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["SERNB_REPORTS"] = Path.Combine(scratch, $"reports{n}");
            start.Environment["SERNB_CACHE"] = Path.Combine(scratch, $"cache{n}");
            start.Environment["SERNB_DATA"] = Path.Combine(scratch, $"data{n}");
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.WaitForExit();
            clock.Stop();
            var fields = File.ReadAllText(timeFile).Trim().Split('\n')[^1].Split(' ');
            var cpu = double.Parse(fields[1], CultureInfo.InvariantCulture) + double.Parse(fields[2], CultureInfo.InvariantCulture);
            var rss = long.Parse(fields[3], CultureInfo.InvariantCulture);
            rows.Add((n, clock.Elapsed, cpu, rss, TablesHash(output), process.ExitCode));
            Console.WriteLine($"--jobs {n}: exit {process.ExitCode}, wall {clock.Elapsed:mm\\:ss}, CPU {cpu:0} s ({100 * cpu / clock.Elapsed.TotalSeconds:0} %), peak RSS {rss / 1024.0 / 1024.0:0.00} GB");
        }
        Console.WriteLine();
        Console.WriteLine("| --jobs | exit | wall | CPU (user+sys) | CPU % | peak RSS (largest process) | results.csv + summary.csv SHA-256 |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            Console.WriteLine($"| {row.Jobs} | {row.Exit} | {row.Wall:mm\\:ss} | {row.CpuSeconds:0} s | {100 * row.CpuSeconds / row.Wall.TotalSeconds:0} % | {row.PeakRssKb / 1024.0 / 1024.0:0.00} GB | {row.Tables} |");
        }
        Console.WriteLine(rows.Select(r => r.Tables).Distinct().Count() == 1
            ? "tables: byte-identical across the jobs values"
            : "tables: DIFFER across the jobs values");
        Console.WriteLine($"outputs kept in {scratch}");
    }

    private static string TablesHash(string output)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in new[] { "results.csv", "summary.csv" })
        {
            var path = Path.Combine(output, name);
            hash.AppendData(File.Exists(path) ? File.ReadAllBytes(path) : []);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
