using SerNotebooks.Ablation.Execution;
using SerNotebooks.Training;
using Spectre.Console;

namespace SerNotebooks.Cli.Commands;

/// <summary>What <c>sernb reproduce --executor slurm</c> tells the user: the job ids, where the logs go, and what to run next.</summary>
internal sealed class SlurmConsole(IAnsiConsole console)
{
    /// <summary>Runs <paramref name="submit"/> and reports it; returns the command's exit code.</summary>
    public int Submit(SlurmOptions options, Func<SlurmSubmissionResult> submit, string output, string collectCommand)
    {
        SlurmSubmissionResult result;
        try
        {
            result = submit();
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("[yellow]cancelled[/]: nothing was submitted");
            return 130;
        }
        catch (Exception e) when (e is SlurmException or InvalidOperationException or IOException or TrainingRunException or TrainingConfigException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        if (result.Arrays.Count == 0)
        {
            console.MarkupLineInterpolated($"slurm: all {result.FinishedRuns} run(s) have finished, nothing to submit; build the tables with: {collectCommand}");
            return 0;
        }
        var runs = result.Arrays.Sum(a => a.Array.Runs.Count);
        var folder = Path.GetDirectoryName(result.SubmitScript)!;
        console.MarkupLineInterpolated($"slurm: {runs} run(s) in {result.Arrays.Count} job array(s), {result.FinishedRuns} finished run(s) get no job; scripts in {folder}");
        if (options.DryRun)
        {
            console.MarkupLineInterpolated($"dry run, nothing submitted. The sbatch commands (also in {result.SubmitScript}, which submits them):");
            foreach (var array in result.Arrays)
            {
                console.WriteLine(array.CommandLine);
            }
            console.MarkupLineInterpolated($"once the jobs have finished, collect the results in {output}:");
            console.WriteLine(collectCommand);
            return 0;
        }
        string IdOf(SlurmArray array) => result.Arrays.First(a => a.Array == array).JobId!;
        foreach (var array in result.Arrays)
        {
            var after = array.Array.After is { } dependency ? $"  after {IdOf(dependency.Array)}_{dependency.Task}" : "";
            console.MarkupLineInterpolated($"  {array.JobId,-8} {Path.GetFileName(array.Script),-48} {array.Array.Runs.Count} run(s){after}");
        }
        console.MarkupLineInterpolated($"submitted job(s): {string.Join(' ', result.Arrays.Select(a => a.JobId))}");
        console.MarkupLineInterpolated($"logs: {Path.Combine(folder, SlurmScriptWriter.LogsFolderName)}/<script>_<job id>_<task>.out and .err");
        console.MarkupLineInterpolated($"when they have finished (squeue -j {string.Join(',', result.Arrays.Select(a => a.JobId))} lists nothing), collect the results in {output}:");
        console.WriteLine(collectCommand);
        return 0;
    }
}
