using System.Text.Json;
using SerNotebooks.Ablation.Execution;
using SerNotebooks.Data;
using SerNotebooks.Evaluation;
using SerNotebooks.Features;
using SerNotebooks.Pretext;
using SerNotebooks.Training;

namespace SerNotebooks.Ablation;

/// <summary>Where an ablation wrote its results, and the runs they come from.</summary>
/// <param name="RunsCsvPath">One row per (configuration, seed[, fold]): metrics and relative change vs the baseline of the same seed and fold.</param>
/// <param name="SummaryCsvPath">One row per configuration: mean ± std and paired tests against the baseline.</param>
/// <param name="Runs">The rows of the runs table without the relative-change columns (the summary's input).</param>
/// <param name="Summary">Mean ± std and the paired tests.</param>
/// <param name="TrainedRuns">Runs trained now.</param>
/// <param name="SkippedRuns">Runs that had finished already and were skipped.</param>
public sealed record AblationResult(
    string RunsCsvPath,
    string SummaryCsvPath,
    IReadOnlyList<RunMetrics> Runs,
    AblationSummary Summary,
    int TrainedRuns,
    int SkippedRuns)
{
    /// <summary>
    /// One summary per (labelled fraction, mode), each pairing runs within its own group only; a plain ablation has
    /// one group, whose summary is <see cref="Summary"/>. With several groups <see cref="Runs"/> and
    /// <see cref="Summary"/> are the headline group's (<see cref="AblationPlan.HeadlineFraction"/>, <see cref="AblationPlan.HeadlineMode"/>).
    /// </summary>
    public IReadOnlyList<AblationGroup> Groups { get; init; } = [];
}

/// <summary>The runs of one labelled fraction, fine-tuning mode and target, and their summary (paired within the group).</summary>
public sealed record AblationGroup(double LabelFraction, FinetuneMode Mode, IReadOnlyList<RunMetrics> Runs, AblationSummary Summary)
{
    /// <summary>The fine-tuning target of the group's runs (<see cref="AblationPlan.WithTargets"/>); null without targets.</summary>
    public FinetuneTarget? Target { get; init; }

    /// <summary>
    /// The same runs summarised against each perceived reference of their predictions (<c>perceived_voice</c>,
    /// <c>perceived_av</c>: the raters' single majority, clips without one left out), with the same pairing and tests;
    /// empty when the predictions carry no rater labels. <see cref="Summary"/> scores against the intended labels.
    /// </summary>
    public IReadOnlyDictionary<string, AblationSummary> Perceived { get; init; } = new Dictionary<string, AblationSummary>();

    /// <summary>"fraction 0.25, probe"-style label for charts and console tables.</summary>
    public string Describe() => $"label fraction {PlannedFinetuning.FormatFraction(LabelFraction)}, {FinetuneModes.Name(Mode)}{(Target is null ? "" : $", target {Target.Name}")}";
}

/// <summary>
/// Executes an <see cref="AblationPlan"/>: labels the pre-training corpus once, trains every pre-training run,
/// fine-tunes every configuration and writes the results table. Every run lives in its own folder under the
/// output folder (with its config.json), so an interrupted ablation resumes and a finished one is skipped run by run.
/// </summary>
public static class AblationRunner
{
    public const string RunsFileName = "results.csv";
    public const string SummaryFileName = "summary.csv";

    /// <summary>The runs table against the raters' perceived labels (only when the predictions carry them).</summary>
    public const string PerceivedRunsFileName = "results-perceived.csv";

    /// <summary>The summary against one perceived reference, e.g. <c>summary-perceived_voice.csv</c> (only for target studies, <paramref name="reference"/> as in predictions.csv).</summary>
    public static string PerceivedSummaryFileName(string reference) => $"summary-{reference}.csv";
    public const string PlanFileName = "ablation.json";

    /// <summary>The experiment the runs were made with, as a file a user can copy, edit and run again (<c>--experiment</c>).</summary>
    public const string ExperimentFileName = "experiment.json";

    /// <summary>Relative change of a metric vs the baseline run with the same seed (and fold), in percent.</summary>
    public static string RelativeChangeColumn(string metric) => metric + "_rel_change_pct";

    /// <param name="plan">The runs.</param>
    /// <param name="corpus">The manifests.</param>
    /// <param name="profile">Model and training sizes.</param>
    /// <param name="outputDirectory">Holds pretrain/, finetune/, the tables and ablation.json.</param>
    /// <param name="progress">Called synchronously on the calling thread.</param>
    /// <param name="cancellationToken">Checked between runs and before every training step.</param>
    /// <param name="labels">Where pre-training labels come from; null labels <paramref name="corpus"/>'s pre-training
    /// manifests once with the plan's <see cref="AblationPlan.Registry"/> (on first need, so a finished ablation does not relabel).
    /// Either way they are written to <c>labels/</c> in the output folder first (<see cref="AblationLabels"/>), where every run reads them.</param>
    /// <param name="executor">Where runs train: null trains them one at a time in this process; <see cref="WorkerProcessExecutor"/>
    /// trains several at once in worker processes, with the same results.</param>
    /// <param name="tablesDirectory">Where ablation.json, experiment.json and the tables go; null = <paramref name="outputDirectory"/>.
    /// A study that shares the runs of another ablation (<see cref="TargetStudy"/>) keeps its tables in a subfolder of its own.</param>
    public static AblationResult Run(
        AblationPlan plan,
        AblationCorpus corpus,
        AblationProfile profile,
        string outputDirectory,
        IPretextLabelSource? labels = null,
        IProgress<AblationProgress>? progress = null,
        CancellationToken cancellationToken = default,
        IRunExecutor? executor = null,
        string? tablesDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(profile);
        if (plan.Folds != (corpus.Folds?.Count ?? 0) || plan.BySession != (corpus.Folds?.BySession ?? false))
        {
            var corpusProtocol = corpus.Folds is null ? AblationPlan.TestSplitProtocol
                : corpus.Folds.BySession ? AblationPlan.SessionsProtocol(corpus.Folds.Count) : AblationPlan.KFoldProtocol(corpus.Folds.Count);
            throw new ArgumentException(
                $"the plan is {plan.Protocol} but the corpus is {corpusProtocol}: use AblationPlan.WithFolds and AblationCorpus.WithFolds with the same k (or WithSessions on both)",
                nameof(corpus));
        }
        var root = Path.GetFullPath(outputDirectory);
        var tables = Path.GetFullPath(tablesDirectory ?? root);
        Directory.CreateDirectory(tables);
        WritePlan(plan, corpus, profile, tables);
        var jobs = Jobs(plan, corpus, profile, root);
        var firstPretraining = jobs.FirstOrDefault(j => j.Stage == AblationStage.Pretraining);
        string MakeLabels() => AblationLabels.Ensure(root, plan.LabellingTasks, firstPretraining!.Config, labels, plan.Registry,
            message => progress?.Report(new AblationProgress(AblationStage.Labelling, null, 0, 0, Message: message)), cancellationToken);
        var trained = AblationScheduler.Execute(jobs, executor ?? InProcessRunExecutor.Instance, root, MakeLabels, progress, cancellationToken);
        var total = jobs.Count;
        progress?.Report(new AblationProgress(AblationStage.Table, null, total, total));
        var table = WriteTables(plan, root, tables);
        progress?.Report(new AblationProgress(AblationStage.Done, null, total, total, Message: table.RunsCsvPath));
        return table with { TrainedRuns = trained, SkippedRuns = total - trained };
    }

    /// <summary>
    /// Every run of <paramref name="plan"/> as a job: its folder under <paramref name="outputDirectory"/> and its config,
    /// pre-training first, each fine-tuning after the pre-training whose encoder it loads. What an executor (this
    /// process, worker processes, a cluster) needs to train the ablation.
    /// </summary>
    public static IReadOnlyList<AblationJob> Jobs(AblationPlan plan, AblationCorpus corpus, AblationProfile profile, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var root = Path.GetFullPath(outputDirectory);
        var jobs = new List<AblationJob>();
        var pretraining = new Dictionary<PlannedPretraining, AblationJob>();
        foreach (var run in plan.Pretraining)
        {
            var job = new AblationJob(AblationStage.Pretraining, run.RelativeDirectory.Replace('\\', '/'),
                Path.Combine(root, run.RelativeDirectory), PretrainingConfig(run, corpus, profile), After: null);
            pretraining[run] = job;
            jobs.Add(job);
        }
        foreach (var run in plan.Finetuning)
        {
            var after = run.Pretraining is null ? null : pretraining[run.Pretraining];
            jobs.Add(new AblationJob(AblationStage.Finetuning, run.RelativeDirectory.Replace('\\', '/'),
                Path.Combine(root, run.RelativeDirectory), FinetuningConfig(run, after?.Directory, corpus, profile), after));
        }
        return jobs;
    }

    /// <summary>The pre-training config of <paramref name="run"/> under <paramref name="profile"/>.</summary>
    public static TrainingConfig PretrainingConfig(PlannedPretraining run, AblationCorpus corpus, AblationProfile profile) => new()
    {
        Kind = RunKind.Pretrain,
        Manifests = corpus.PretrainingManifests,
        Tasks = run.Tasks.Select(t => new TaskWeight(t)).ToArray(),
        Model = profile.Model,
        Chunking = profile.Chunking,
        Optimizer = new OptimizerConfig { LearningRate = profile.LearningRate },
        BatchSize = profile.BatchSize,
        Epochs = profile.PretrainEpochs,
        Patience = profile.PretrainPatience,
        PretextDevSpeakerShare = profile.PretextDevSpeakerShare,
        Windowing = profile.PretrainWindowing,
        Seed = run.Seed,
        Threads = profile.Threads,
        FeatureCache = corpus.FeatureCache,
        Device = profile.Device ?? "cpu",
    };

    /// <summary>The fine-tuning config of <paramref name="run"/>; <paramref name="pretrainedRun"/> is its pre-training folder (null for the baseline).</summary>
    public static TrainingConfig FinetuningConfig(PlannedFinetuning run, string? pretrainedRun, AblationCorpus corpus, AblationProfile profile) => new()
    {
        Kind = RunKind.Finetune,
        Manifests = corpus.EmotionManifests,
        SpeakerSplits = corpus.SplitsFor(run.Fold),
        PretrainedRun = pretrainedRun,
        // Unset at 1, so the configs (and folders) of ablations without label fractions stay as they were.
        LabelFraction = run.LabelFraction < 1 ? run.LabelFraction : null,
        // The probe of the baseline is a frozen random encoder: the chance-level reference for a probe.
        FreezeEncoder = run.Mode == FinetuneMode.Probe,
        Model = profile.Model,
        Chunking = profile.Chunking,
        Optimizer = new OptimizerConfig { LearningRate = profile.LearningRate },
        BatchSize = profile.BatchSize,
        Epochs = profile.FinetuneEpochs,
        Patience = profile.Patience,
        EncoderLearningRateScale = profile.EncoderLearningRateScale,
        EncoderWarmupEpochs = profile.EncoderWarmupEpochs,
        // A planned target replaces the experiment's own labels and penalty (which then only weights the penalty target).
        Labels = run.Target?.Labels ?? profile.Labels,
        Penalty = run.Target is null ? profile.Penalty : run.Target.Penalty,
        Seed = run.Seed,
        Threads = profile.Threads,
        FeatureCache = corpus.FeatureCache,
        Device = profile.Device ?? "cpu",
    };

    /// <summary>The results.csv column of the labelled fraction of the training clips (1 = all).</summary>
    public const string LabelFractionColumn = ResultsTable.LabelFractionColumn;

    /// <summary>The results.csv column of the fine-tuning mode (<c>full</c> or <c>probe</c>).</summary>
    public const string ModeColumn = ResultsTable.ModeColumn;

    /// <summary>
    /// Recomputes every fine-tuning run's metrics from its predictions.csv (ClassificationReport, scikit-learn's
    /// definitions) and writes the runs table and the summary atomically. Runs are summarised and paired within
    /// each (labelled fraction, mode) group; summary.csv has one block of rows per group. The summary's macro-F1
    /// intervals resample test speakers: each utterance's speaker comes from the manifests named by the run's config.json.
    /// With targets (<see cref="AblationPlan.WithTargets"/>) groups are per target too, and each group is also summarised
    /// against the perceived references (<see cref="AblationGroup.Perceived"/>, summary-&lt;reference&gt;.csv).
    /// </summary>
    /// <param name="plan">The runs.</param>
    /// <param name="outputDirectory">Holds the runs' folders.</param>
    /// <param name="tablesDirectory">Where the tables are written; null = <paramref name="outputDirectory"/>.</param>
    public static AblationResult WriteTables(AblationPlan plan, string outputDirectory, string? tablesDirectory = null)
    {
        var root = Path.GetFullPath(outputDirectory);
        var tables = Path.GetFullPath(tablesDirectory ?? root);
        var rows = new List<(PlannedFinetuning Planned, RunMetrics Metrics, RunPredictions Predictions, IReadOnlyDictionary<string, string> Speakers, PredictionSet Set)>();
        var perceived = new List<RunMetrics>();
        var speakers = new ManifestSpeakers();
        foreach (var run in plan.Finetuning)
        {
            var folder = new RunFolder(Path.Combine(root, run.RelativeDirectory));
            if (!File.Exists(folder.PredictionsPath))
            {
                throw new InvalidOperationException($"{folder.PredictionsPath}: missing; the run '{run.RelativeDirectory}' has not finished");
            }
            var set = PredictionsFile.Read(folder.PredictionsPath);
            var report = ClassificationReport.FromPredictions(set);
            RunPredictions joined;
            var speakerOf = speakers.Of(folder);
            try
            {
                joined = RunPredictions.Join(run.Configuration, run.Seed, run.FoldName, set, speakerOf);
            }
            catch (ArgumentException e)
            {
                // Predictions that do not belong to the run's manifest: the folder is inconsistent, not the caller's argument.
                throw new InvalidOperationException($"{folder.PredictionsPath}: {e.Message}", e);
            }
            rows.Add((run, RunMetrics.FromReport(run.Configuration, run.Seed, report, run.FoldName), joined, speakerOf, set));
            perceived.Add(AgainstPerceived(run, set));
        }
        var targetOrder = plan.Targets.Select(t => t.Name).ToList();
        var groups = rows
            .GroupBy(r => (r.Planned.LabelFraction, r.Planned.Mode, r.Planned.TargetName))
            .OrderBy(g => g.Key.LabelFraction).ThenBy(g => g.Key.Mode).ThenBy(g => g.Key.TargetName is null ? -1 : targetOrder.IndexOf(g.Key.TargetName))
            .Select(g =>
            {
                var runs = g.Select(r => r.Metrics).ToList();
                var summary = AblationSummary.Compute(runs, AblationPlan.Baseline, evaluation: plan.Protocol,
                    predictions: g.Select(r => r.Predictions).ToList(), controls: plan.Controls);
                return new AblationGroup(g.Key.LabelFraction, g.Key.Mode, runs, summary)
                {
                    Target = g.First().Planned.Target,
                    // Only target studies: the perceived summaries cost a bootstrap each, and the main tables stay as they were.
                    Perceived = plan.Targets.Count == 0 ? new Dictionary<string, AblationSummary>()
                        : PerceivedSummaries(g.Select(r => (r.Planned, r.Set, r.Speakers)).ToList(), plan),
                };
            })
            .ToList();
        var withChange = rows.Select(r =>
        {
            var baseline = rows
                .Where(b => b.Metrics.Configuration == AblationPlan.Baseline && b.Metrics.PairKey == r.Metrics.PairKey
                    && b.Planned.LabelFraction == r.Planned.LabelFraction && b.Planned.Mode == r.Planned.Mode && b.Planned.TargetName == r.Planned.TargetName)
                .Select(b => b.Metrics)
                .FirstOrDefault();
            var metrics = new Dictionary<string, double>(r.Metrics.Metrics, StringComparer.Ordinal);
            foreach (var metric in MetricNames.Headline.Append(MetricNames.Accuracy))
            {
                metrics[RelativeChangeColumn(metric)] = baseline is null || baseline[metric] == 0
                    ? double.NaN
                    : 100 * (r.Metrics[metric] - baseline[metric]) / baseline[metric];
            }
            return r.Metrics with { Metrics = metrics };
        }).ToList();
        Directory.CreateDirectory(tables);
        var runsPath = Path.Combine(tables, RunsFileName);
        var summaryPath = Path.Combine(tables, SummaryFileName);
        ResultsTable.WriteCsv(GroupedTables.RunsFrame(withChange, rows.Select(r => r.Planned).ToList(), plan.Protocol), runsPath);
        ResultsTable.WriteCsv(GroupedTables.SummaryFrame(groups), summaryPath);
        if (perceived.Any(r => r.Metrics.Count > 0))
        {
            ResultsTable.WriteCsv(GroupedTables.RunsFrame(perceived, rows.Select(r => r.Planned).ToList(), plan.Protocol),
                Path.Combine(tables, PerceivedRunsFileName));
        }
        foreach (var reference in groups.SelectMany(g => g.Perceived.Keys).Distinct(StringComparer.Ordinal))
        {
            var against = groups.Where(g => g.Perceived.ContainsKey(reference)).Select(g => g with { Summary = g.Perceived[reference] }).ToList();
            ResultsTable.WriteCsv(GroupedTables.SummaryFrame(against), Path.Combine(tables, PerceivedSummaryFileName(reference)));
        }
        var headline = groups.Single(g => g.LabelFraction == plan.HeadlineFraction && g.Mode == plan.HeadlineMode && g.Target == plan.HeadlineTarget);
        return new AblationResult(runsPath, summaryPath, headline.Runs, headline.Summary, 0, 0) { Groups = groups };
    }

    /// <summary>
    /// A run's metrics against each perceived reference of its predictions (<c>perceived_voice_macro_f1</c>, …, over the
    /// clips with a single majority); no metrics when the predictions carry no perceived labels.
    /// </summary>
    private static RunMetrics AgainstPerceived(PlannedFinetuning run, PredictionSet set)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var reference in set.ReferenceNames)
        {
            var against = set.Against(reference);
            if (against.Count == 0)
            {
                continue;
            }
            foreach (var (name, value) in RunMetrics.FromReport(run.Configuration, run.Seed, ClassificationReport.FromPredictions(against)).Metrics)
            {
                metrics[$"{reference}_{name}"] = value;
            }
            metrics[$"{reference}_utterances"] = against.Count;
        }
        return new RunMetrics(run.Configuration, run.Seed, run.FoldName, metrics);
    }

    /// <summary>
    /// The summary of one group's runs against each perceived reference their predictions carry (the runs scored on the
    /// clips with a single majority of that reference), paired and tested exactly as against the intended labels.
    /// </summary>
    private static Dictionary<string, AblationSummary> PerceivedSummaries(
        IReadOnlyList<(PlannedFinetuning Planned, PredictionSet Set, IReadOnlyDictionary<string, string> Speakers)> runs, AblationPlan plan)
    {
        var result = new Dictionary<string, AblationSummary>(StringComparer.Ordinal);
        var references = runs.Select(r => r.Set.ReferenceNames).Aggregate((a, b) => a.Intersect(b, StringComparer.Ordinal).ToArray());
        foreach (var reference in references)
        {
            var scored = runs.Select(r => (r.Planned, Set: r.Set.Against(reference), r.Speakers)).ToList();
            if (scored.Any(r => r.Set.Count == 0))
            {
                continue; // A run with no clip of this reference cannot be paired.
            }
            var metrics = scored.Select(r => RunMetrics.FromReport(r.Planned.Configuration, r.Planned.Seed, ClassificationReport.FromPredictions(r.Set), r.Planned.FoldName));
            var predictions = scored.Select(r => RunPredictions.Join(r.Planned.Configuration, r.Planned.Seed, r.Planned.FoldName, r.Set, r.Speakers));
            result[reference] = AblationSummary.Compute(metrics, AblationPlan.Baseline, evaluation: $"{plan.Protocol}, against {reference}",
                predictions: predictions.ToList(), controls: plan.Controls);
        }
        return result;
    }

    /// <summary>Utterance id → speaker of the manifests a run was trained and tested on (its config.json), each manifest read once.</summary>
    private sealed class ManifestSpeakers
    {
        private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _byManifests = new(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, string> Of(RunFolder run)
        {
            var manifests = TrainingConfig.Load(run.ConfigPath).Manifests;
            var key = string.Join('\n', manifests);
            if (!_byManifests.TryGetValue(key, out var speakerOf))
            {
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var directory in manifests)
                {
                    foreach (var entry in Manifest.Load(directory).Entries)
                    {
                        if (map.TryGetValue(entry.Id, out var other) && other != entry.Speaker)
                        {
                            throw new InvalidOperationException($"{run.ConfigPath}: utterance '{entry.Id}' has speaker '{other}' in one manifest and '{entry.Speaker}' in {directory}");
                        }
                        map[entry.Id] = entry.Speaker;
                    }
                }
                speakerOf = map;
                _byManifests[key] = speakerOf;
            }
            return speakerOf;
        }
    }

    private static void WritePlan(AblationPlan plan, AblationCorpus corpus, AblationProfile profile, string root)
    {
        var description = new
        {
            tasks = plan.Tasks,
            taskAssemblies = plan.Registry.TaskAssemblies,
            seeds = plan.Seeds,
            configurations = plan.Configurations,
            profile,
            corpus.PretrainingManifests,
            corpus.EmotionManifests,
            corpus.SpeakerSplits,
            protocol = plan.Protocol,
            folds = plan.Folds,
            bySession = plan.BySession,
            labelFractions = plan.LabelFractions,
            modes = plan.Modes.Select(FinetuneModes.Name).ToArray(),
            controls = plan.Controls,
            speakerFolds = corpus.Folds?.FoldOf,
            evaluation = corpus.Evaluation,
        };
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        var json = JsonSerializer.Serialize(description, options);
        if (plan.Targets.Count > 0)
        {
            // Only a target study names targets, so the ablation.json of every other plan stays as it was.
            var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
            node["targets"] = JsonSerializer.SerializeToNode(plan.Targets, options);
            json = node.ToJsonString(options);
        }
        AtomicFile.WriteAllText(Path.Combine(root, PlanFileName), json);
        // The results folder keeps a copy of the experiment (SpeechBrain keeps its hyperparameter file the same way).
        AtomicFile.WriteAllText(Path.Combine(root, ExperimentFileName), profile.ToJson() + "\n");
    }

    /// <summary>
    /// k of the ablation last started in <paramref name="outputDirectory"/> (its ablation.json; the number of sessions under
    /// the sessions protocol), 0 for the test split or when there is none. <see cref="ReadPlan"/> gives the whole plan.
    /// </summary>
    public static int ReadFolds(string outputDirectory)
    {
        var path = Path.Combine(Path.GetFullPath(outputDirectory), PlanFileName);
        if (!File.Exists(path))
        {
            return 0;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("folds", out var folds) && folds.ValueKind == JsonValueKind.Number ? folds.GetInt32() : 0;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>
    /// The plan <c>sernb reproduce</c> last started in <paramref name="outputDirectory"/> (its ablation.json), rebuilt
    /// over <paramref name="seeds"/>: tasks and the assemblies of the user's tasks, protocol (test split, k-fold or sessions),
    /// labelled fractions and modes. The plain test-split plan over every registered task when there is none, or for
    /// fields an older ablation.json lacks.
    /// </summary>
    /// <param name="outputDirectory">The ablation's output folder.</param>
    /// <param name="seeds">Seeds of the rebuilt plan.</param>
    /// <param name="defaultControls">The controls of a plan that has not been started yet (the experiment's); an
    /// ablation.json without controls (older, or a plan without them) keeps none.</param>
    /// <param name="defaultLabelFractions">Likewise the labelled fractions of a plan not started yet (the experiment's; null: all labels).</param>
    /// <param name="tasks">A <c>tasks</c> list ("a,b,c") overriding the stored tasks; null or blank keeps them.</param>
    /// <param name="taskAssemblies">Assemblies of the user's tasks overriding the stored ones; empty keeps them.</param>
    public static AblationPlan ReadPlan(string outputDirectory, int seeds, IReadOnlyList<string>? defaultControls = null,
        IReadOnlyList<double>? defaultLabelFractions = null, string? tasks = null, IReadOnlyList<string>? taskAssemblies = null)
    {
        var path = Path.Combine(Path.GetFullPath(outputDirectory), PlanFileName);
        if (!File.Exists(path))
        {
            return AblationPlan.Create(PretextTaskRegistry.Create(taskAssemblies ?? []), tasks, seeds)
                .WithControls(defaultControls ?? []).WithLabelFractions(defaultLabelFractions ?? AblationPlan.AllLabels);
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var storedAssemblies = root.TryGetProperty("taskAssemblies", out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray().Select(e => e.GetString() ?? "").ToArray() : [];
            var storedTasks = root.TryGetProperty("tasks", out var t) && t.ValueKind == JsonValueKind.Array
                ? string.Join(',', t.EnumerateArray().Select(e => e.GetString())) : null;
            var plan = AblationPlan.Create(PretextTaskRegistry.Create(taskAssemblies is { Count: > 0 } ? taskAssemblies : storedAssemblies),
                string.IsNullOrWhiteSpace(tasks) ? storedTasks : tasks, seeds);
            var folds = root.TryGetProperty("folds", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetInt32() : 0;
            var bySession = root.TryGetProperty("bySession", out var b) && b.ValueKind == JsonValueKind.True;
            if (folds != 0)
            {
                plan = bySession ? plan.WithSessions(folds) : plan.WithFolds(folds);
            }
            if (root.TryGetProperty("labelFractions", out var fractions) && fractions.ValueKind == JsonValueKind.Array)
            {
                plan = plan.WithLabelFractions(fractions.EnumerateArray().Select(e => e.GetDouble()).ToArray());
            }
            if (root.TryGetProperty("modes", out var modes) && modes.ValueKind == JsonValueKind.Array)
            {
                plan = plan.WithModes(modes.EnumerateArray().Select(e => FinetuneModes.Parse(e.GetString() ?? "")).ToArray());
            }
            if (root.TryGetProperty("controls", out var controls) && controls.ValueKind == JsonValueKind.Array)
            {
                plan = plan.WithControls(controls.EnumerateArray().Select(e => e.GetString() ?? "").ToArray());
            }
            return plan;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
    }
}
