using SerNotebooks.Charts;
using SerNotebooks.Data;
using SerNotebooks.Demo;
using SerNotebooks.Evaluation;
using SerNotebooks.Training;

namespace SerNotebooks.Ablation;

/// <summary>What <see cref="Reproduction.Run"/> produced.</summary>
/// <param name="Ablation">The tables and runs.</param>
/// <param name="Charts">Self-contained HTML charts (plotly.js embedded; they open offline).</param>
/// <param name="Elapsed">Wall time of the whole reproduction.</param>
public sealed record ReproductionResult(AblationResult Ablation, IReadOnlyList<string> Charts, TimeSpan Elapsed);

/// <summary>
/// The one-command reproduction (<c>sernb reproduce</c>): corpus (the demo corpus, generated if missing, or the
/// user's manifests) → labels → every pre-training run → fine-tuning → results table → charts, all in one
/// output folder. Re-running it skips every finished step.
/// </summary>
public static class Reproduction
{
    public const string DemoCorpus = "demo";
    public const string ChartsFolder = "charts";

    /// <summary>
    /// Where <c>sernb reproduce --profile <paramref name="profile"/></c> writes by default: reproduce-&lt;profile&gt; under
    /// the reports folder (SERNB_REPORTS), never the current directory, so a run does not litter the repository root
    /// and the notebooks find the same runs.
    /// </summary>
    public static string DefaultOutputDirectory(string profile) =>
        Path.Combine(SerNotebooksPaths.Resolve().ReportsDirectory, $"reproduce-{profile}");

    /// <summary>
    /// The corpus named by <paramref name="corpus"/>: "demo" generates (or reuses) the demo corpus under
    /// <paramref name="outputDirectory"/>/corpus, sized for <paramref name="profile"/>; anything else is a folder holding
    /// the pre-training and CREMA-D manifests (either pretraining/ and crema-d/, or manifests/pretraining and manifests/crema-d).
    /// <paramref name="folds"/> ≥ 3 evaluates by k-fold cross-validation by actor (<see cref="AblationCorpus.WithFolds"/>);
    /// 0 evaluates on the test split. <paramref name="sessions"/> evaluates over the sessions in the emotion manifest's
    /// split column instead (<see cref="AblationCorpus.WithSessions"/>; <paramref name="folds"/> is then ignored).
    /// </summary>
    public static AblationCorpus ResolveCorpus(string corpus, AblationProfile profile, string outputDirectory, Action<string>? log = null, int folds = 0,
        bool sessions = false)
    {
        if (folds != 0 && !sessions)
        {
            // Before the demo corpus is generated: a bad count must not cost a minute of generation first.
            SpeakerFolds.RequireValidCount(folds);
        }
        var root = Path.GetFullPath(outputDirectory);
        var features = Path.Combine(root, "features");
        string folder;
        if (string.Equals(corpus, DemoCorpus, StringComparison.OrdinalIgnoreCase))
        {
            folder = Path.Combine(root, "corpus");
            var size = profile.DemoCorpus;
            log?.Invoke($"demo corpus ({size.ToString().ToLowerInvariant()}) in {folder}");
            DemoCorpusGenerator.Generate(folder, size);
        }
        else
        {
            folder = Path.GetFullPath(corpus);
        }
        foreach (var layout in new[] { "", "manifests" })
        {
            var pretraining = Path.Combine(folder, layout, "pretraining");
            var emotion = Path.Combine(folder, layout, "crema-d");
            if (File.Exists(Path.Combine(pretraining, Manifest.CsvFileName)) && File.Exists(Path.Combine(emotion, Manifest.CsvFileName)))
            {
                var resolved = AblationCorpus.FromManifests(pretraining, emotion, features);
                return sessions ? resolved.WithSessions() : folds == 0 ? resolved : resolved.WithFolds(folds);
            }
        }
        throw new DirectoryNotFoundException(
            $"{folder}: no manifests found; expected pretraining/{Manifest.CsvFileName} and crema-d/{Manifest.CsvFileName} (or the same under manifests/)");
    }

    public static ReproductionResult Run(
        AblationPlan plan,
        AblationCorpus corpus,
        AblationProfile profile,
        string outputDirectory,
        IProgress<AblationProgress>? progress = null,
        CancellationToken cancellationToken = default,
        Execution.IRunExecutor? executor = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ablation = AblationRunner.Run(plan, corpus, profile, outputDirectory, progress: progress, cancellationToken: cancellationToken, executor: executor);
        var charts = WriteCharts(plan, ablation, outputDirectory);
        return new ReproductionResult(ablation, charts, clock.Elapsed);
    }

    /// <summary>Grouped macro P/R/F1 with error bars, Δ vs baseline, per-class F1, confusion heatmaps, and dev macro-F1 curves.</summary>
    public static IReadOnlyList<string> WriteCharts(AblationPlan plan, AblationResult ablation, string outputDirectory)
    {
        var charts = new ChartFolder(Path.Combine(Path.GetFullPath(outputDirectory), ChartsFolder));
        charts.Save(EvaluationCharts.MacroScores(ablation.Summary), "macro-scores.html", "Macro precision, recall and F1 per configuration");
        charts.Save(EvaluationCharts.DeltaVersusBaseline(ablation.Summary, relative: true), "delta-vs-baseline.html", "Change vs the baseline");
        charts.Save(EvaluationCharts.PerClassF1(ablation.Summary), "per-class-f1.html", "Per-class F1");
        foreach (var mode in plan.Modes.Where(_ => plan.LabelFractions.Count > 1))
        {
            var name = FinetuneModes.Name(mode);
            var curve = ablation.Groups.Where(g => g.Mode == mode).Select(g => (g.LabelFraction, g.Summary)).ToList();
            charts.Save(LabelEfficiencyChart.Create(curve, title: $"Label efficiency ({name}): macro-F1 vs labelled fraction of the training clips (mean ± std over {Pooled(plan, plan.Seeds.Count)})"),
                $"label-efficiency{(mode == FinetuneMode.Full ? "" : "-" + name)}.html", $"Label efficiency ({name})");
        }
        if (plan.Modes.Count > 1)
        {
            var sideBySide = ablation.Groups.Where(g => g.LabelFraction == plan.HeadlineFraction).Select(g => (FinetuneModes.Name(g.Mode), g.Summary)).ToList();
            charts.Save(ProbeComparisonChart.Create(sideBySide), "full-vs-probe.html", "Full fine-tuning vs linear probe");
        }
        var root = Path.GetFullPath(outputDirectory);
        foreach (var configuration in plan.Configurations)
        {
            var report = PooledReport(plan, root, configuration);
            var runs = Headline(plan).Count(f => f.Configuration == configuration);
            charts.Save(EvaluationCharts.ConfusionMatrixHeatmap(report.Confusion, rowNormalised: true, title: $"{configuration}: confusion (rows = true class, pooled over {Pooled(plan, runs)})"),
                $"confusion-{configuration}.html", $"Confusion matrix: {configuration}");
        }
        var histories = plan.Finetuning.ToDictionary(
            f => $"{f.Configuration} seed {f.Seed}{(f.Fold is null ? "" : $" {(f.Session ? "session" : "fold")} {f.Fold}")}" +
                $"{(f.LabelFraction < 1 ? $" fraction {f.LabelFractionName}" : "")}{(f.Mode == FinetuneMode.Probe ? " probe" : "")}",
            f => TrainingHistory.ReadCsv(new RunFolder(Path.Combine(root, f.RelativeDirectory)).MetricsCsvPath));
        charts.Save(EvaluationCharts.TrainingCurves(histories, "dev_macro_f1", "Fine-tuning: dev macro-F1 per epoch"), "training-curves.html", "Fine-tuning curves");
        return charts.Written;
    }

    /// <summary>
    /// The classification report of <paramref name="configuration"/> over the test predictions of all its fine-tuning
    /// runs pooled: every seed's test utterances once per seed; under k-fold each fold's own speakers. Only the headline
    /// runs (the largest labelled fraction, full fine-tuning when planned) are pooled.
    /// </summary>
    public static ClassificationReport PooledReport(AblationPlan plan, string outputDirectory, string configuration)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var root = Path.GetFullPath(outputDirectory);
        var sets = Headline(plan)
            .Where(f => f.Configuration == configuration)
            .Select(f => PredictionsFile.Read(new RunFolder(Path.Combine(root, f.RelativeDirectory)).PredictionsPath))
            .ToArray();
        if (sets.Length == 0)
        {
            throw new ArgumentException($"no configuration '{configuration}' in the plan ({string.Join(", ", plan.Configurations)})", nameof(configuration));
        }
        return ClassificationReport.Compute(
            sets.SelectMany(s => s.TrueLabelIndices()).ToArray(),
            sets.SelectMany(s => s.PredictedLabelIndices()).ToArray(),
            sets[0].ClassNames);
    }

    private static string Pooled(AblationPlan plan, int runs) =>
        plan.Folds == 0 ? $"{runs} seed(s)" : $"{plan.Seeds.Count} seed(s) × {plan.Folds} {(plan.BySession ? "sessions" : "folds")}";

    private static IEnumerable<PlannedFinetuning> Headline(AblationPlan plan) => plan.HeadlineFinetuning;
}
