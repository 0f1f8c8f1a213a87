using System.Diagnostics;
using SerNotebooks.Ablation;
using SerNotebooks.Cli.Commands;

namespace SerNotebooks.Tests.Ablation;

/// <summary>The tiny profile with 2 seeds trained one run at a time in one <c>sernb</c> process: the reference tables.</summary>
public sealed class SequentialTinyReproduction : IDisposable
{
    public SequentialTinyReproduction()
    {
        // In its own process: libtorch's RNG and thread count are process-wide, so training in the test process beside
        // other tests' in-process training would not be the sequential reference it is meant to be.
        var (exit, output) = SernbProcess.Start(["reproduce", "--profile", "tiny", "--seeds", "2", "--no-notebooks", "--out", Folder, "--jobs", "1"])
            .Completion.GetAwaiter().GetResult();
        Assert.True(exit == 0, output);
        Assert.Contains("one run at a time in this process", output);
        Results = File.ReadAllBytes(Path.Combine(Folder, AblationRunner.RunsFileName));
        Summary = File.ReadAllBytes(Path.Combine(Folder, AblationRunner.SummaryFileName));
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "sernb-jobs1-" + Guid.NewGuid().ToString("N"));

    public byte[] Results { get; }

    public byte[] Summary { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Alone: other tests' in-process <c>reproduce</c> commands start workers of this test process too (--jobs defaults to the cores), which would make "no worker outlived the command" unanswerable.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ParallelReproduceCollection
{
    public const string Name = "parallel reproduce, alone";
}

/// <summary>
/// <c>reproduce --jobs N</c> and two commands on one output folder give the tables of one sequential command, byte for
/// byte; Ctrl-C stops every worker and the same command resumes.
/// </summary>
[Collection(ParallelReproduceCollection.Name)]
public sealed class ParallelReproduceTests(SequentialTinyReproduction sequential) : IClassFixture<SequentialTinyReproduction>, IDisposable
{
    /// <summary>2 seeds: 14 pre-training + 16 fine-tuning runs.</summary>
    private const int Runs = 30;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sernb-jobs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static (int ExitCode, string Output) Invoke(string output, params string[] extra) =>
        CliHarness.Run(ReproduceCommand.Create, ["reproduce", "--profile", "tiny", "--seeds", "2", "--no-notebooks", "--out", output, .. extra]);

    [Fact]
    public void TwoWorkerProcessesGiveTheTablesOfOneRunAtATimeByteForByte()
    {
        var (exit, output) = Invoke(_root, "--jobs", "2");

        Assert.True(exit == 0, output);
        Assert.Contains("2 runs at once in worker processes", output);
        Assert.Contains("(worker 2)", output);
        Assert.Contains("w1 pretrain/", output);
        Assert.Contains($"trained {Runs} run(s), skipped 0", output);
        Assert.Equal(sequential.Results, File.ReadAllBytes(Path.Combine(_root, AblationRunner.RunsFileName)));
        Assert.Equal(sequential.Summary, File.ReadAllBytes(Path.Combine(_root, AblationRunner.SummaryFileName)));
        // Every run's config file for workers loads back as the run's own config.json.
        foreach (var config in Directory.EnumerateFiles(Path.Combine(_root, "configs"), "*.json", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(Path.Combine(_root, "configs"), config)[..^".json".Length];
            Assert.Equal(File.ReadAllText(Path.Combine(_root, name, "config.json")), File.ReadAllText(config));
        }
        Assert.Empty(WorkersOf(Environment.ProcessId));
    }

    [Fact]
    public async Task TwoCommandsStartedAtOnceOnOneFolderShareTheRunsAndWriteTheSameTables()
    {
        var first = Start("--jobs", "1");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var second = Start("--jobs", "2");

        var results = await Task.WhenAll(first.Completion, second.Completion);

        Assert.True(results[0].ExitCode == 0, results[0].Output);
        Assert.True(results[1].ExitCode == 0, results[1].Output);
        // No run is trained twice: what one trained, the other skipped (or waited for and found finished).
        Assert.Equal(Runs, Trained(results[0].Output) + Trained(results[1].Output));
        Assert.Contains("claimed by", results[0].Output + results[1].Output);
        Assert.Equal(sequential.Results, File.ReadAllBytes(Path.Combine(_root, AblationRunner.RunsFileName)));
        Assert.Equal(sequential.Summary, File.ReadAllBytes(Path.Combine(_root, AblationRunner.SummaryFileName)));
    }

    [Fact]
    public async Task CtrlCStopsEveryWorkerAndTheSameCommandResumesToTheSameTables()
    {
        var command = Start("--jobs", "2");
        // Interrupt once both workers are training (a few epochs in), as a user's Ctrl-C would.
        await command.WaitForOutput(text => CountOf(text, " epoch ") >= 6, TimeSpan.FromMinutes(3));
        var workers = WorkersOf(command.ProcessId);
        Assert.Equal(2, workers.Count);
        using (var kill = Process.Start("kill", ["-INT", command.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var interrupted = await command.Completion;

        Assert.True(interrupted.ExitCode == 130, interrupted.Output);
        Assert.Contains("cancelled", interrupted.Output);
        Assert.All(workers, pid => Assert.False(IsRunning(pid), $"worker {pid} outlived its command"));
        Assert.False(File.Exists(Path.Combine(_root, AblationRunner.RunsFileName)));

        var resumed = await Start("--jobs", "2").Completion;

        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.True(Trained(resumed.Output) < Runs, resumed.Output);
        Assert.Equal(sequential.Results, File.ReadAllBytes(Path.Combine(_root, AblationRunner.RunsFileName)));
        Assert.Equal(sequential.Summary, File.ReadAllBytes(Path.Combine(_root, AblationRunner.SummaryFileName)));
    }

    private static int Trained(string output)
    {
        var match = System.Text.RegularExpressions.Regex.Match(output, @"trained (\d+) run\(s\)");
        Assert.True(match.Success, output);
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    /// <summary>The <c>sernb worker</c> processes whose parent is <paramref name="parent"/> (from /proc).</summary>
    private static List<int> WorkersOf(int parent)
    {
        var workers = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == parent && commandLine.Contains("worker"))
                {
                    workers.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return workers;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A real <c>sernb reproduce</c> process (the CLI built beside the tests).</summary>
    private SernbProcess Start(params string[] extra) =>
        SernbProcess.Start(["reproduce", "--profile", "tiny", "--seeds", "2", "--no-notebooks", "--out", _root, .. extra]);
}
