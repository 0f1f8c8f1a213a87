using Deedle;
using SerNotebooks.Ablation;
using SerNotebooks.Evaluation;
using SerNotebooks.Training;

namespace SerNotebooks.Notebooks;

/// <summary>Where one planned run of the ablation stands on disk.</summary>
public enum RunStatus
{
    /// <summary>No config.json yet: the run will be trained.</summary>
    NotStarted,

    /// <summary>Started but without final-metrics.json: it resumes from its last checkpoint.</summary>
    Interrupted,

    /// <summary>final-metrics.json exists: the run is reused, never trained again.</summary>
    Finished,
}

/// <summary>
/// What notebooks 05 and 06 read from an experiment's run folders, without training anything: the plan as a
/// table with each run's status, the per-epoch histories (metrics.csv) of the pre-training and fine-tuning
/// runs, and the test predictions of a configuration pooled over its seeds.
/// </summary>
public static class ExperimentRuns
{
    public const string PretrainingStage = "pre-training";
    public const string FinetuningStage = "fine-tuning";
    public const string RandomInit = "random init";

    /// <summary>Status of the run in <paramref name="relativeDirectory"/> (a planned run's folder) under the experiment's output folder.</summary>
    public static RunStatus Status(this NotebookExperiment experiment, string relativeDirectory)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var folder = new RunFolder(Path.Combine(experiment.OutputDirectory, relativeDirectory));
        return File.Exists(folder.FinalMetricsPath) ? RunStatus.Finished
            : File.Exists(folder.ConfigPath) ? RunStatus.Interrupted
            : RunStatus.NotStarted;
    }

    /// <summary>
    /// One row per planned run, pre-training runs first, then fine-tuning runs (seed-major, as they are trained):
    /// stage, configuration, tasks, seed, what it starts from, its folder and its status.
    /// </summary>
    public static Frame<int, string> PlanFrame(this NotebookExperiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var plan = experiment.Plan;
        var rows = plan.Pretraining
            .Select(p => (Stage: PretrainingStage, Configuration: p.Combination, Tasks: p.Tasks.Count, p.Seed, StartsFrom: RandomInit, Folder: p.RelativeDirectory))
            .Concat(plan.Finetuning.Select(f => (
                Stage: FinetuningStage,
                f.Configuration,
                Tasks: f.Pretraining?.Tasks.Count ?? 0,
                f.Seed,
                StartsFrom: f.Pretraining is null ? RandomInit : Slashes(f.Pretraining.RelativeDirectory),
                Folder: f.RelativeDirectory)))
            .ToArray();
        var keys = Enumerable.Range(0, rows.Length).ToArray();
        var builder = new FrameBuilder.Columns<int, string>();
        builder.Add("stage", new Series<int, string>(keys, rows.Select(r => r.Stage).ToArray()));
        builder.Add("configuration", new Series<int, string>(keys, rows.Select(r => r.Configuration).ToArray()));
        builder.Add("tasks", new Series<int, int>(keys, rows.Select(r => r.Tasks).ToArray()));
        builder.Add("seed", new Series<int, int>(keys, rows.Select(r => r.Seed).ToArray()));
        builder.Add("starts from", new Series<int, string>(keys, rows.Select(r => r.StartsFrom).ToArray()));
        builder.Add("folder", new Series<int, string>(keys, rows.Select(r => Slashes(r.Folder)).ToArray()));
        builder.Add("status", new Series<int, string>(keys, rows.Select(r => Describe(experiment.Status(r.Folder))).ToArray()));
        return builder.Frame;
    }

    /// <summary>Folders (relative to the output folder) of the planned runs that have not finished, pre-training first.</summary>
    public static IReadOnlyList<string> UnfinishedRuns(this NotebookExperiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return experiment.Plan.Pretraining.Select(p => p.RelativeDirectory)
            .Concat(experiment.Plan.Finetuning.Select(f => f.RelativeDirectory))
            .Where(folder => experiment.Status(folder) != RunStatus.Finished)
            .Select(Slashes)
            .ToArray();
    }

    /// <summary>
    /// Throws, saying which runs are missing and what to run, unless every run of the plan has finished. Notebooks
    /// that only read results call this first, so they stop with an instruction instead of a missing-file error.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some run has not finished.</exception>
    public static void RequireFinishedRuns(this NotebookExperiment experiment)
    {
        var missing = experiment.UnfinishedRuns();
        if (missing.Count == 0)
        {
            return;
        }
        var total = experiment.Plan.Pretraining.Count + experiment.Plan.Finetuning.Count;
        var shown = string.Join(", ", missing.Take(3)) + (missing.Count > 3 ? $" and {missing.Count - 3} more" : "");
        throw new InvalidOperationException(
            $"{missing.Count} of the {total} runs of this experiment have not finished in {experiment.OutputDirectory} ({shown}). " +
            "This notebook only reads results and never trains: run notebook 05-pretraining-and-ablations with the same parameters, " +
            $"or `sernb reproduce --corpus {experiment.CorpusName} --profile {experiment.Profile.Name} --seeds {experiment.Plan.Seeds.Count} --out {experiment.OutputDirectory}`, first.");
    }

    /// <summary>Per-epoch histories (metrics.csv) of the pre-training runs, keyed "&lt;combination&gt; seed &lt;k&gt;"; only <paramref name="seed"/> when given.</summary>
    public static IReadOnlyDictionary<string, TrainingHistory> PretrainingHistories(this NotebookExperiment experiment, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return ReadHistories(experiment, experiment.Plan.Pretraining
            .Where(p => seed is null || p.Seed == seed)
            .Select(p => ($"{p.Combination} seed {p.Seed}", p.RelativeDirectory)));
    }

    /// <summary>Per-epoch histories (metrics.csv) of the headline fine-tuning runs (all labels, full fine-tuning when planned), keyed "&lt;configuration&gt; seed &lt;k&gt;"; only <paramref name="seed"/> when given.</summary>
    public static IReadOnlyDictionary<string, TrainingHistory> FinetuningHistories(this NotebookExperiment experiment, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return ReadHistories(experiment, experiment.Plan.HeadlineFinetuning
            .Where(f => seed is null || f.Seed == seed)
            .Select(f => ($"{f.Configuration} seed {f.Seed}", f.RelativeDirectory)));
    }

    /// <summary>Each task combination's pre-training history averaged over its seeds (<see cref="TrainingHistoryMean"/>), in plan order.</summary>
    public static IReadOnlyDictionary<string, TrainingHistory> MeanPretrainingHistories(this NotebookExperiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return MeanByConfiguration(experiment, experiment.Plan.Pretraining.Select(p => (p.Combination, p.RelativeDirectory)));
    }

    /// <summary>Each configuration's fine-tuning history averaged over its seeds (<see cref="TrainingHistoryMean"/>), in plan order.</summary>
    public static IReadOnlyDictionary<string, TrainingHistory> MeanFinetuningHistories(this NotebookExperiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return MeanByConfiguration(experiment, experiment.Plan.HeadlineFinetuning.Select(f => (f.Configuration, f.RelativeDirectory)));
    }

    /// <summary>
    /// The classification report of <paramref name="configuration"/> over the test predictions of all its runs
    /// pooled (every seed's test utterances once per seed; under k-fold every fold's), as the report's confusion heatmaps show it.
    /// </summary>
    public static ClassificationReport PooledReport(this NotebookExperiment experiment, string configuration)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return Reproduction.PooledReport(experiment.Plan, experiment.OutputDirectory, configuration);
    }

    private static IReadOnlyDictionary<string, TrainingHistory> MeanByConfiguration(NotebookExperiment experiment, IEnumerable<(string Configuration, string Folder)> runs)
    {
        var result = new Dictionary<string, TrainingHistory>(StringComparer.Ordinal);
        foreach (var group in runs.GroupBy(r => r.Configuration, StringComparer.Ordinal))
        {
            result[group.Key] = TrainingHistoryMean.Of(group.Select(r => ReadHistory(experiment, r.Folder)).ToArray());
        }
        return result;
    }

    private static Dictionary<string, TrainingHistory> ReadHistories(NotebookExperiment experiment, IEnumerable<(string Name, string Folder)> runs)
    {
        var result = new Dictionary<string, TrainingHistory>(StringComparer.Ordinal);
        foreach (var (name, folder) in runs)
        {
            result[name] = ReadHistory(experiment, folder);
        }
        return result;
    }

    private static TrainingHistory ReadHistory(NotebookExperiment experiment, string relativeDirectory)
    {
        var folder = new RunFolder(Path.Combine(experiment.OutputDirectory, relativeDirectory));
        if (!File.Exists(folder.MetricsCsvPath))
        {
            throw new InvalidOperationException(
                $"{folder.MetricsCsvPath}: missing; the run '{Slashes(relativeDirectory)}' has not trained an epoch yet (run notebook 05 or `sernb reproduce` first)");
        }
        return TrainingHistory.ReadCsv(folder.MetricsCsvPath);
    }

    private static string Describe(RunStatus status) => status switch
    {
        RunStatus.Finished => "finished (reused)",
        RunStatus.Interrupted => "interrupted (resumes)",
        _ => "to train",
    };

    private static string Slashes(string relative) => relative.Replace('\\', '/');
}
