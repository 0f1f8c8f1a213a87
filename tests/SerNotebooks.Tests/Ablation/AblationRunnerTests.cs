using SerNotebooks.Ablation;
using SerNotebooks.Evaluation;
using SerNotebooks.Native;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Ablation;

public sealed class AblationRunnerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sernb-ablation-" + Guid.NewGuid().ToString("N"));

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

    [Fact]
    public void TinyAblationWritesATableWhoseMetricsComeFromThePredictionFilesAndSkipsFinishedRunsOnReRun()
    {
        TorchRuntime.EnsureLoadable();
        var corpus = TinyAblationCorpus.Create(_root);
        var plan = AblationPlan.Create(AblationPlan.PaperTasks, [1], [["energy-variation", "au-emotion"]]);
        var output = Path.Combine(_root, "ablation");
        var reports = new List<AblationProgress>();
        var progress = new ListProgress(reports);

        var first = AblationRunner.Run(plan, corpus, AblationProfile.Tiny, output, progress: progress);

        Assert.Equal(3, first.TrainedRuns);
        Assert.Equal(0, first.SkippedRuns);
        Assert.Contains(reports, r => r.Stage == AblationStage.Labelling);
        Assert.Contains(reports, r => r.Stage == AblationStage.Finetuning && r.Training?.Phase == TrainingPhase.EpochEnd);
        var pretrainDir = Path.Combine(output, "pretrain", "energy-variation+au-emotion-seed1");
        Assert.True(File.Exists(Path.Combine(pretrainDir, "encoder.model")));
        // The fine-tuning run's config, stored beside its results, points at the shared pre-training run.
        var finetuneConfig = TrainingConfig.Load(Path.Combine(output, "finetune", "energy-variation+au-emotion-seed1", "config.json"));
        Assert.Equal(Path.GetFullPath(pretrainDir), finetuneConfig.PretrainedRun);
        Assert.Null(TrainingConfig.Load(Path.Combine(output, "finetune", "baseline-seed1", "config.json")).PretrainedRun);

        var table = ResultsTable.ReadRuns(first.RunsCsvPath);
        Assert.Equal(["baseline", "energy-variation+au-emotion"], table.Select(r => r.Configuration));
        foreach (var row in table)
        {
            var predictions = PredictionsFile.Read(Path.Combine(output, "finetune", $"{row.Configuration}-seed{row.Seed}", "predictions.csv"));
            var report = ClassificationReport.FromPredictions(predictions);
            Assert.True(predictions.Count > 0);
            Assert.Equal(report.Macro.Precision, row[MetricNames.MacroPrecision], 12);
            Assert.Equal(report.Macro.Recall, row[MetricNames.MacroRecall], 12);
            Assert.Equal(report.Macro.F1, row[MetricNames.MacroF1], 12);
            Assert.Equal(report.Accuracy, row[MetricNames.Accuracy], 12);
            foreach (var c in report.PerClass)
            {
                Assert.Equal(c.F1, row[MetricNames.PerClassF1(c.ClassName)], 12);
            }
        }
        var baseline = table[0];
        var pretrained = table[1];
        Assert.Equal(0, baseline[AblationRunner.RelativeChangeColumn(MetricNames.MacroF1)], 12);
        if (baseline[MetricNames.MacroF1] > 0)
        {
            Assert.Equal(100 * (pretrained[MetricNames.MacroF1] - baseline[MetricNames.MacroF1]) / baseline[MetricNames.MacroF1],
                pretrained[AblationRunner.RelativeChangeColumn(MetricNames.MacroF1)], 9);
        }
        var summary = ResultsTable.ReadSummaryCsv(first.SummaryCsvPath);
        Assert.Equal(["baseline", "energy-variation+au-emotion"], summary.RowKeys);
        Assert.Equal(pretrained[MetricNames.MacroF1], first.Summary["energy-variation+au-emotion"][MetricNames.MacroF1].Mean, 12);

        // The demo corpus has simulated raters: the same runs scored against their perceived labels, from the same files.
        var perceived = ResultsTable.ReadRuns(Path.Combine(output, AblationRunner.PerceivedRunsFileName));
        Assert.Equal(table.Select(r => r.Configuration), perceived.Select(r => r.Configuration));
        foreach (var row in perceived)
        {
            var predictions = PredictionsFile.Read(Path.Combine(output, "finetune", $"{row.Configuration}-seed{row.Seed}", "predictions.csv"));
            foreach (var reference in new[] { "perceived_voice", "perceived_av" })
            {
                var against = predictions.Against(reference);
                Assert.Equal(ClassificationReport.FromPredictions(against).Macro.F1, row[$"{reference}_{MetricNames.MacroF1}"], 12);
                Assert.Equal(against.Count, row[$"{reference}_utterances"]);
            }
        }

        var runsCsv = File.ReadAllText(first.RunsCsvPath);
        var second = AblationRunner.Run(plan, corpus, AblationProfile.Tiny, output);

        Assert.Equal(0, second.TrainedRuns);
        Assert.Equal(3, second.SkippedRuns);
        Assert.Equal(runsCsv, File.ReadAllText(second.RunsCsvPath));
    }

    [Fact]
    public void ACancelledAblationContinuesWhereItStoppedWithTheSameTable()
    {
        TorchRuntime.EnsureLoadable();
        var corpus = TinyAblationCorpus.Create(_root);
        var plan = AblationPlan.Create(AblationPlan.PaperTasks, [2], [["energy-variation"]]);
        var output = Path.Combine(_root, "ablation");
        using var cancellation = new CancellationTokenSource();
        // Stop as soon as the baseline's fine-tuning has finished an epoch: pre-training is done, fine-tuning is not.
        var stopper = new ListProgress([], p =>
        {
            if (p.Stage == AblationStage.Finetuning && p.Training?.Phase == TrainingPhase.EpochEnd)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            AblationRunner.Run(plan, corpus, AblationProfile.Tiny, output, progress: stopper, cancellationToken: cancellation.Token));
        Assert.True(File.Exists(Path.Combine(output, "pretrain", "energy-variation-seed2", "final-metrics.json")));
        Assert.False(File.Exists(Path.Combine(output, "finetune", "baseline-seed2", "final-metrics.json")));
        Assert.False(File.Exists(Path.Combine(output, AblationRunner.RunsFileName)));

        var resumed = AblationRunner.Run(plan, corpus, AblationProfile.Tiny, output);

        Assert.Equal(1, resumed.SkippedRuns); // the pre-training run
        Assert.Equal(2, resumed.TrainedRuns); // the resumed baseline and the other fine-tuning run
        Assert.Equal(2, ResultsTable.ReadRuns(resumed.RunsCsvPath).Count);
    }

    private sealed class ListProgress(List<AblationProgress> reports, Action<AblationProgress>? onReport = null) : IProgress<AblationProgress>
    {
        public void Report(AblationProgress value)
        {
            reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
