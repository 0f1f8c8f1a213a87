using SerNotebooks.Training;

namespace SerNotebooks.Ablation.Execution;

/// <summary>How <c>sernb reproduce --executor slurm</c> submits.</summary>
/// <param name="DryRun">Write the configs and scripts and give the sbatch commands, but submit nothing.</param>
/// <param name="SbatchArguments">The user's own sbatch arguments (partition, account, time, memory…), added to every submission.</param>
public sealed record SlurmOptions(bool DryRun, IReadOnlyList<string> SbatchArguments);

/// <summary>One array as submitted.</summary>
/// <param name="Array">The array.</param>
/// <param name="Script">Its batch script.</param>
/// <param name="SbatchArguments">The arguments after <c>sbatch</c>.</param>
/// <param name="JobId">Its array job id; null on a dry run.</param>
/// <param name="CommandLine">The sbatch command as submit.sh has it (the pre-training job id as <c>${pretrain}</c>).</param>
public sealed record SubmittedArray(SlurmArray Array, string Script, IReadOnlyList<string> SbatchArguments, string CommandLine, string? JobId);

/// <summary>What was submitted (or would be), and the script that submits the same by hand.</summary>
/// <param name="Arrays">In submission order; empty when every run had finished.</param>
/// <param name="FinishedRuns">Runs that had finished already: no job.</param>
/// <param name="SubmitScript"><c>&lt;out&gt;/slurm/submit.sh</c>: the same sbatch commands, job ids kept in shell variables.</param>
public sealed record SlurmSubmissionResult(IReadOnlyList<SubmittedArray> Arrays, int FinishedRuns, string SubmitScript);

/// <summary>
/// Trains an ablation on a Slurm cluster: every unfinished run becomes an array task running <c>sernb train</c> on its
/// config file (<see cref="AblationJob.WriteConfigFile"/>), so it trains exactly as it would here and a later
/// <c>sernb reproduce</c> on the same folder skips it. Labels are made here first, once, because every pre-training task reads them.
/// </summary>
public static class SlurmSubmission
{
    public const string SubmitScriptName = "submit.sh";

    /// <summary>The shell variable submit.sh keeps the pre-training array's job id in.</summary>
    private const string PretrainingVariable = "pretrain";

    /// <param name="plan">The runs.</param>
    /// <param name="corpus">The manifests.</param>
    /// <param name="profile">Model, training sizes and threads per run (<c>--cpus-per-task</c>).</param>
    /// <param name="outputDirectory">The ablation's output folder; it must be on a file system the nodes share.</param>
    /// <param name="sernb">How the nodes start <c>sernb</c>.</param>
    /// <param name="options">Dry run, extra sbatch arguments.</param>
    /// <param name="report">Told what is being done (labelling).</param>
    /// <param name="cancellationToken">Checked while labelling.</param>
    public static SlurmSubmissionResult Run(
        AblationPlan plan,
        AblationCorpus corpus,
        AblationProfile profile,
        string outputDirectory,
        WorkerCommand sernb,
        SlurmOptions options,
        Action<string>? report,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(options);
        // Before the labels: a machine without Slurm should learn it in a second, not after labelling.
        var sbatch = options.DryRun ? null : SlurmSubmitter.Locate();
        var root = Path.GetFullPath(outputDirectory);
        var jobs = AblationRunner.Jobs(plan, corpus, profile, root);
        var unfinished = jobs.Where(j => TrainingRun.FinishedResult(j.Config, j.Directory) is null).ToList();
        var labels = unfinished.Any(j => j.Stage == AblationStage.Pretraining)
            ? AblationLabels.Ensure(root, plan.LabellingTasks, jobs.First(j => j.Stage == AblationStage.Pretraining).Config, null, plan.Registry, report, cancellationToken)
            : null;
        foreach (var job in unfinished)
        {
            job.WriteConfigFile(root);
        }
        var writer = new SlurmScriptWriter(root, sernb, profile.Threads);
        var arrays = SlurmPlan.Create(unfinished).Select(a => (Array: a, Script: writer.Write(a, labels))).ToList();
        var submitScript = WriteSubmitScript(writer, arrays, options.SbatchArguments);
        var ids = new Dictionary<SlurmArray, string>();
        var submitted = new List<SubmittedArray>();
        foreach (var (array, script) in arrays)
        {
            var arguments = SlurmSubmitter.Arguments(array, script, a => ids[a], options.SbatchArguments);
            string? id = null;
            if (sbatch is not null)
            {
                try
                {
                    id = SlurmSubmitter.Submit(sbatch, arguments);
                }
                catch (SlurmException e) when (submitted.Count > 0)
                {
                    throw new SlurmException($"{e.Message}. Submitted before it: job(s) {string.Join(' ', submitted.Select(s => s.JobId))} (scancel them, or let them run and submit again: finished runs get no job)");
                }
                ids[array] = id;
            }
            else
            {
                ids[array] = "${" + PretrainingVariable + "}";
            }
            submitted.Add(new SubmittedArray(array, script, arguments, CommandLine(array, script, options.SbatchArguments), id));
        }
        return new SlurmSubmissionResult(submitted, jobs.Count - unfinished.Count, submitScript);
    }

    /// <summary>The sbatch command of <paramref name="array"/> as a shell line, the pre-training job id read from <c>${pretrain}</c>.</summary>
    private static string CommandLine(SlurmArray array, string script, IReadOnlyList<string> extra) =>
        "sbatch " + string.Join(' ', SlurmSubmitter.Arguments(array, script, _ => "${" + PretrainingVariable + "}", extra)
            .Select(a => a.StartsWith("--dependency=", StringComparison.Ordinal) ? a : ShellWords.Quote(a)));

    /// <summary>submit.sh: what a dry run would submit, as a script a user can read, edit and run.</summary>
    private static string WriteSubmitScript(SlurmScriptWriter writer, IReadOnlyList<(SlurmArray Array, string Script)> arrays, IReadOnlyList<string> extra)
    {
        var text = new System.Text.StringBuilder()
            .Append("#!/bin/bash\n")
            .Append("# Submits this ablation's Slurm job arrays, as `sernb reproduce --executor slurm` does (--dry-run writes this and submits nothing).\n")
            .Append("set -euo pipefail\n");
        foreach (var (array, script) in arrays)
        {
            var command = CommandLine(array, script, extra);
            if (array.Name == SlurmPlan.PretrainingArray)
            {
                // --parsable may print "<id>;<cluster>".
                text.Append(PretrainingVariable).Append("=$(").Append(command).Append(")\n")
                    .Append(PretrainingVariable).Append("=${").Append(PretrainingVariable).Append("%%;*}\n")
                    .Append("echo \"").Append(array.Name).Append(": $").Append(PretrainingVariable).Append("\"\n");
            }
            else
            {
                text.Append(command).Append('\n');
            }
        }
        var path = Path.Combine(writer.Folder, SubmitScriptName);
        Directory.CreateDirectory(writer.Folder);
        AtomicFile.WriteAllText(path, text.ToString());
        SlurmScriptWriter.MarkExecutable(path);
        return path;
    }
}
