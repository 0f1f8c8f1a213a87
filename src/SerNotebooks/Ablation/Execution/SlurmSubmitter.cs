using System.Diagnostics;

namespace SerNotebooks.Ablation.Execution;

/// <summary>A Slurm submission that could not be made (no <c>sbatch</c>, or <c>sbatch</c> refused a script).</summary>
public sealed class SlurmException(string message) : Exception(message);

/// <summary>
/// The <c>sbatch</c> command lines of an ablation's arrays, and running them. A fine-tuning array waits for its
/// pre-training task with <c>--dependency=afterok:&lt;array job id&gt;_&lt;task&gt;</c>; the user's extra arguments
/// come after ours, so that they win (sbatch keeps the last of a repeated option, and the command line over the script's <c>#SBATCH</c> lines).
/// </summary>
public static class SlurmSubmitter
{
    public const string Sbatch = "sbatch";

    /// <summary><c>sbatch</c> on <paramref name="pathVariable"/> (PATH when null); throws <see cref="SlurmException"/> naming it when missing.</summary>
    public static string Locate(string? pathVariable = null) =>
        ExecutableSearch.Find(Sbatch, pathVariable ?? Environment.GetEnvironmentVariable("PATH"))
        ?? throw new SlurmException(
            $"{Sbatch} not found on PATH: --executor slurm submits the runs with Slurm's {Sbatch}. Run it on a machine of the cluster (a login node), "
            + "install the Slurm client (Debian/Ubuntu: slurm-client), or add --dry-run to only write the batch scripts under <out>/slurm");

    /// <summary>The arguments after <c>sbatch</c> that submit <paramref name="array"/>'s script.</summary>
    /// <param name="array">The array.</param>
    /// <param name="script">Its batch script.</param>
    /// <param name="jobId">The job id of an array submitted before (what <c>--dependency</c> names).</param>
    /// <param name="extra">The user's own sbatch arguments.</param>
    public static IReadOnlyList<string> Arguments(SlurmArray array, string script, Func<SlurmArray, string> jobId, IReadOnlyList<string> extra)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentNullException.ThrowIfNull(jobId);
        var arguments = new List<string> { "--parsable" };
        if (array.After is { } after)
        {
            arguments.Add($"--dependency=afterok:{jobId(after.Array)}_{after.Task}");
        }
        arguments.AddRange(extra);
        arguments.Add(script);
        return arguments;
    }

    /// <summary>Runs <paramref name="sbatch"/> with <paramref name="arguments"/>; returns the job id it prints.</summary>
    public static string Submit(string sbatch, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(sbatch)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new SlurmException($"{sbatch} did not start");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new SlurmException($"{Sbatch} {ShellWords.Join(arguments)} failed (exit {process.ExitCode}): {error.Result.Trim()}");
        }
        // --parsable prints "<job id>" or "<job id>;<cluster>".
        var id = output.Trim().Split(';')[0];
        return id.Length > 0 && id.All(char.IsAsciiDigit)
            ? id
            : throw new SlurmException($"{Sbatch} --parsable printed '{output.Trim()}', not a job id");
    }
}
