using System.Globalization;
using System.Text;

namespace SerNotebooks.Ablation.Execution;

/// <summary>
/// Writes a <see cref="SlurmArray"/>'s batch script and run list under <c>&lt;out&gt;/slurm/</c>. The script is meant
/// to be read: its <c>#SBATCH</c> lines say what it asks for, and its body is one <c>sernb train</c> per array task.
/// Everything it names is an absolute path, so it runs the same on any node that sees the output folder and the
/// <c>sernb</c> install at the same paths (a shared file system).
/// </summary>
/// <param name="root">The ablation's output folder.</param>
/// <param name="sernb">How the nodes start <c>sernb</c> (<see cref="WorkerCommand.ForCli"/>); a bare program name is looked up on PATH here.</param>
/// <param name="cpusPerTask">The experiment's threads per run.</param>
public sealed class SlurmScriptWriter(string root, WorkerCommand sernb, int cpusPerTask)
{
    public const string FolderName = "slurm";
    public const string LogsFolderName = "logs";

    /// <summary>How long a task whose run another process holds waits before it asks again.</summary>
    public const int ClaimRetrySeconds = 60;

    private readonly string _root = Path.GetFullPath(root);

    /// <summary><c>&lt;out&gt;/slurm</c>.</summary>
    public string Folder => Path.Combine(_root, FolderName);

    /// <summary><c>&lt;out&gt;/slurm/logs</c>: one <c>&lt;array&gt;_&lt;job id&gt;_&lt;task&gt;.out</c> and <c>.err</c> per task.</summary>
    public string LogsFolder => Path.Combine(Folder, LogsFolderName);

    public string ScriptPath(SlurmArray array) => Path.Combine(Folder, array.Name + ".sh");

    public string ListPath(SlurmArray array) => Path.Combine(Folder, array.Name + ".list");

    /// <summary>Writes the script and the list of <paramref name="array"/>; returns the script's path.</summary>
    /// <param name="array">The array.</param>
    /// <param name="labels">The pre-training labels folder (<see cref="AblationLabels"/>); used by pre-training arrays only.</param>
    public string Write(SlurmArray array, string? labels)
    {
        ArgumentNullException.ThrowIfNull(array);
        Directory.CreateDirectory(LogsFolder);
        AtomicFile.WriteAllText(ListPath(array), string.Concat(array.Runs.Select(r => r.Name + "\n")));
        var path = ScriptPath(array);
        AtomicFile.WriteAllText(path, Script(array, array.Stage == AblationStage.Pretraining ? labels : null));
        // Executable like any shell script, so it can also be run by hand (SLURM_ARRAY_TASK_ID=0 ./pretrain.sh).
        MarkExecutable(path);
        return path;
    }

    /// <summary>Lets <paramref name="path"/> be run as a program (nothing to do on Windows, which has no such bit).</summary>
    internal static void MarkExecutable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }

    private string Script(SlurmArray array, string? labels)
    {
        var log = Path.Combine(LogsFolder, array.Name + "_%A_%a");
        var text = new StringBuilder()
            .Append("#!/bin/bash\n")
            .Append("# Written by `sernb reproduce --executor slurm`: ").Append(Describe(array)).Append('\n')
            .Append("# Array task i trains the run on line i+1 of ").Append(Path.GetFileName(ListPath(array))).Append(" with `sernb train`.\n")
            .Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={array.JobName}\n")
            .Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{array.Runs.Count - 1}\n")
            .Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={cpusPerTask}\n")
            .Append("#SBATCH --ntasks=1\n")
            .Append("#SBATCH --chdir=").Append(_root).Append('\n')
            .Append("#SBATCH --output=").Append(log).Append(".out\n")
            .Append("#SBATCH --error=").Append(log).Append(".err\n");
        if (array.After is not null)
        {
            // Without it a failed pre-training leaves its fine-tunings pending for ever (DependencyNeverSatisfied).
            text.Append("#SBATCH --kill-on-invalid-dep=yes\n");
        }
        text.Append("set -u\n")
            .Append("out=").Append(ShellWords.Quote(_root)).Append('\n')
            .Append("sernb=(").Append(ShellWords.Join(Command())).Append(")\n")
            .Append("run=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" ").Append(ShellWords.Quote(ListPath(array))).Append(")\n")
            .Append("if [ -z \"$run\" ]; then echo \"sernb: no run for array task $SLURM_ARRAY_TASK_ID\" >&2; exit 1; fi\n")
            .Append("args=(train --config \"$out/").Append(AblationJob.ConfigsFolder).Append("/$run.json\" --out \"$out/$run\"");
        if (labels is not null)
        {
            text.Append(" --labels ").Append(ShellWords.Quote(Path.GetFullPath(labels)));
        }
        text.Append(")\n")
            .Append("echo \"sernb: $run on $(hostname -s), job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n")
            .Append(CultureInfo.InvariantCulture, $"# Exit {WorkerProtocol.ClaimedExitCode}: another live process (a `sernb reproduce` or an earlier submission) trains this run.\n")
            .Append("# Wait for it instead of succeeding: jobs that depend on this task (afterok) need the run finished,\n")
            .Append("# and if that process dies its claim goes stale and the next try trains (or resumes) the run here.\n")
            .Append("while true; do\n")
            .Append("  \"${sernb[@]}\" \"${args[@]}\"\n")
            .Append("  status=$?\n")
            .Append(CultureInfo.InvariantCulture, $"  if [ \"$status\" -ne {WorkerProtocol.ClaimedExitCode} ]; then exit \"$status\"; fi\n")
            .Append(CultureInfo.InvariantCulture, $"  echo \"sernb: $run is being trained by another process; asking again in {ClaimRetrySeconds} s\" >&2\n")
            .Append(CultureInfo.InvariantCulture, $"  sleep {ClaimRetrySeconds}\n")
            .Append("done\n");
        return text.ToString();
    }

    private static string Describe(SlurmArray array) => array.Stage == AblationStage.Pretraining
        ? $"{array.Runs.Count} pre-training run(s)."
        : array.After is null
            ? $"{array.Runs.Count} fine-tuning run(s) without pre-training (or whose pre-training had finished)."
            : $"{array.Runs.Count} fine-tuning run(s) of the encoder of {array.After.Array.Runs[array.After.Task].Name} (task {array.After.Task} of {array.After.Array.Name}).";

    /// <summary><c>sernb</c> with an absolute program path: a batch script runs with the node's PATH, not ours.</summary>
    private IReadOnlyList<string> Command()
    {
        var program = sernb.FileName;
        if (!Path.IsPathRooted(program))
        {
            program = ExecutableSearch.Find(program, Environment.GetEnvironmentVariable("PATH"))
                ?? throw new InvalidOperationException($"'{sernb.FileName}' is not on PATH: the batch scripts need the absolute path of the program that starts sernb");
        }
        return [program, .. sernb.LeadingArguments.Select(a => a.EndsWith(".dll", StringComparison.Ordinal) ? Path.GetFullPath(a) : a)];
    }
}
