using System.Globalization;
using SerNotebooks.Ablation;
using SerNotebooks.Data;
using SerNotebooks.Evaluation;
using SerNotebooks.Notebooks;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Notebooks;

/// <summary>What notebooks 05 and 06 read from run folders, on run folders written in the real file formats.</summary>
public sealed class ExperimentRunsTests : IDisposable
{
    private static readonly string[] Emotions = ["anger", "disgust", "fear", "happiness", "neutral", "sadness"];

    private readonly string root = Path.Combine(Path.GetTempPath(), "sernb-experiment-runs-" + Guid.NewGuid().ToString("N"));
    private readonly NotebookExperiment experiment;

    public ExperimentRunsTests()
    {
        experiment = NotebookExperiment.Open(profile: "tiny", seeds: 2, runs: root, log: _ => { });
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void PlanFrameListsEveryRunOnceWithWhatItStartsFromAndItsStatus()
    {
        Finish("pretrain/au-emotion-seed2");
        Start("finetune/baseline-seed1");

        var frame = experiment.PlanFrame();

        Assert.Equal(14 + 16, frame.RowCount);
        var stage = frame.GetColumn<string>("stage");
        var configuration = frame.GetColumn<string>("configuration");
        var seed = frame.GetColumn<int>("seed");
        var folders = frame.GetColumn<string>("folder").Values.ToArray();
        var status = frame.GetColumn<string>("status");
        var startsFrom = frame.GetColumn<string>("starts from");
        Assert.Equal(folders.Length, folders.Distinct().Count());
        Assert.All(Enumerable.Range(0, 14), row => Assert.Equal(ExperimentRuns.PretrainingStage, stage.Get(row)));
        Assert.All(Enumerable.Range(14, 16), row => Assert.Equal(ExperimentRuns.FinetuningStage, stage.Get(row)));

        int Row(string folder) => Array.IndexOf(folders, folder);
        Assert.Equal("finished (reused)", status.Get(Row("pretrain/au-emotion-seed2")));
        Assert.Equal("interrupted (resumes)", status.Get(Row("finetune/baseline-seed1")));
        Assert.Equal("to train", status.Get(Row("finetune/au-emotion-seed2")));
        Assert.Equal("pretrain/au-emotion-seed2", startsFrom.Get(Row("finetune/au-emotion-seed2")));
        Assert.Equal(ExperimentRuns.RandomInit, startsFrom.Get(Row("finetune/baseline-seed2")));
        Assert.Equal(3, frame.GetColumn<int>("tasks").Get(Row("finetune/energy-variation+facial-activation+au-emotion-seed1")));
        Assert.Equal(("baseline", 2), (configuration.Get(Row("finetune/baseline-seed2")), seed.Get(Row("finetune/baseline-seed2"))));
    }

    [Fact]
    public void ReadingUnfinishedRunsStopsWithTheRunsAndWhatToRun()
    {
        foreach (var folder in AllRunFolders().Skip(2))
        {
            Finish(folder);
        }
        Start(AllRunFolders()[1]);

        var error = Assert.Throws<InvalidOperationException>(experiment.RequireFinishedRuns);

        Assert.Equal(AllRunFolders().Take(2), experiment.UnfinishedRuns());
        Assert.Contains("2 of the 30 runs", error.Message);
        Assert.Contains(AllRunFolders()[0], error.Message);
        Assert.Contains(AllRunFolders()[1], error.Message);
        Assert.Contains("05-pretraining-and-ablations", error.Message);
        Assert.Contains($"sernb reproduce --corpus demo --profile tiny --seeds 2 --out {root}", error.Message);

        Finish(AllRunFolders()[0]);
        Finish(AllRunFolders()[1]);
        experiment.RequireFinishedRuns();
        Assert.Empty(experiment.UnfinishedRuns());
    }

    [Fact]
    public void HistoriesComeFromEachRunsMetricsCsvAndAverageOverSeeds()
    {
        foreach (var run in experiment.Plan.Pretraining)
        {
            WriteMetrics(run.RelativeDirectory, "epoch,train_loss,seconds", $"1,{run.Seed},0.1", $"2,{run.Seed / 2.0},0.1");
        }
        foreach (var run in experiment.Plan.Finetuning)
        {
            // Seed 2 stopped early after one epoch.
            var rows = run.Seed == 1 ? new[] { "1,0.2", "2,0.4", "3,0.6" } : ["1,0.4"];
            WriteMetrics(run.RelativeDirectory, ["epoch,dev_macro_f1", .. rows]);
        }

        var pretraining = experiment.PretrainingHistories(seed: 2);
        var finetuning = experiment.FinetuningHistories();
        var meanPretraining = experiment.MeanPretrainingHistories();
        var meanFinetuning = experiment.MeanFinetuningHistories();

        Assert.Equal(experiment.Plan.Pretraining.Where(p => p.Seed == 2).Select(p => $"{p.Combination} seed 2"), pretraining.Keys);
        Assert.Equal([2.0, 1.0], pretraining["au-emotion seed 2"].Series["train_loss"]);
        Assert.Equal(16, finetuning.Count);
        Assert.Equal([1, 2, 3], finetuning["baseline seed 1"].Epochs);
        Assert.Equal(experiment.Plan.Pretraining.Select(p => p.Combination).Distinct(), meanPretraining.Keys);
        Assert.Equal([1.5, 0.75], meanPretraining["facial-activation"].Series["train_loss"]);
        Assert.Equal(experiment.Plan.Configurations, meanFinetuning.Keys);
        Assert.Equal([0.3, 0.4, 0.6], meanFinetuning["baseline"].Series["dev_macro_f1"].Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void AHistoryOfARunThatNeverTrainedIsAnErrorNamingItsFile()
    {
        var error = Assert.Throws<InvalidOperationException>(() => experiment.FinetuningHistories(seed: 1));

        Assert.Contains(Path.Combine(root, "finetune", "baseline-seed1", "metrics.csv"), error.Message);
        Assert.Contains("notebook 05", error.Message);
    }

    [Fact]
    public void PooledReportCountsEverySeedsTestUtterances()
    {
        // Seed 1 always says anger; seed 2 is right except on one sadness utterance.
        WritePredictions("finetune/baseline-seed1", [0, 1, 2, 3, 4, 5], [0, 0, 0, 0, 0, 0]);
        WritePredictions("finetune/baseline-seed2", [0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 0]);

        var report = experiment.PooledReport(AblationPlan.Baseline);

        Assert.Equal(12, report.Count);
        Assert.Equal(2, report.Confusion[0, 0]);
        Assert.Equal(2, report.Confusion[5, 0]);
        Assert.Equal(0, report.Confusion[5, 5]);
        Assert.Equal(6.0 / 12, report.Accuracy, 12);
        Assert.Equal(["sadness"], report.UndefinedPrecisionClasses);
    }

    [Fact]
    public void SplitsShowEachSplitsSpeakersAndFindASpeakerInTwoSplits()
    {
        var corpus = Path.Combine(root, "manifests");
        SaveManifest(Path.Combine(corpus, "pretraining"), [("p1", "9001", null)]);
        SaveManifest(Path.Combine(corpus, "crema-d"),
        [
            ("a1", "1001", "train"), ("a2", "1001", "train"), ("b1", "1002", "train"), ("c1", "1003", "dev"),
            ("d1", "1004", "test"), ("d2", "1004", "test"), ("e1", "1005", "test"),
        ]);
        var clean = NotebookExperiment.Open(corpus, "tiny", 1, Path.Combine(root, "out"), _ => { });

        var splits = clean.SplitFrame();

        Assert.Equal(["train", "dev", "test"], splits.RowKeys);
        Assert.Equal([3, 1, 3], splits.GetColumn<int>("clips").Values);
        Assert.Equal([2, 1, 2], splits.GetColumn<int>("speakers").Values);
        Assert.Equal("1004 1005", splits.GetColumn<string>("speaker ids").Get("test"));
        Assert.Empty(clean.SpeakersInSeveralSplits());

        SaveManifest(Path.Combine(corpus, "crema-d"), [("a1", "1001", "train"), ("a2", "1001", "test"), ("b1", "1002", "dev"), ("c1", "1003", null)]);
        var leaky = NotebookExperiment.Open(corpus, "tiny", 1, Path.Combine(root, "out2"), _ => { });

        Assert.Equal(["1001"], leaky.SpeakersInSeveralSplits());
        Assert.Equal(["train", "dev", "test", ExperimentSplits.NoSplit], leaky.SplitFrame().RowKeys);
    }

    private List<string> AllRunFolders() =>
        experiment.Plan.Pretraining.Select(p => p.RelativeDirectory).Concat(experiment.Plan.Finetuning.Select(f => f.RelativeDirectory))
            .Select(f => f.Replace('\\', '/')).ToList();

    private RunFolder Folder(string relative)
    {
        var folder = new RunFolder(Path.Combine(root, relative));
        Directory.CreateDirectory(folder.Directory);
        return folder;
    }

    private void Start(string relative) => File.WriteAllText(Folder(relative).ConfigPath, "{}");

    private void Finish(string relative)
    {
        var folder = Folder(relative);
        File.WriteAllText(folder.ConfigPath, "{}");
        File.WriteAllText(folder.FinalMetricsPath, "{}");
    }

    private void WriteMetrics(string relative, params string[] lines) =>
        File.WriteAllLines(Folder(relative).MetricsCsvPath, lines);

    private void WritePredictions(string relative, int[] truth, int[] predicted) =>
        PredictionsFile.Write(Folder(relative).PredictionsPath, PredictionSet.FromIndices(
            Emotions, truth.Select(i => string.Create(CultureInfo.InvariantCulture, $"utt{i}")).ToArray(), truth, predicted,
            predicted.Select(p => (IReadOnlyList<double>)Emotions.Select((_, c) => c == p ? 1.0 : 0.0).ToArray()).ToArray()));

    private static void SaveManifest(string folder, (string Id, string Speaker, string? Split)[] clips) =>
        new Manifest(
            new ManifestMetadata(Path.GetFileName(folder), ManifestMetadata.LabelledKind, "."),
            folder,
            clips.Select(c => new ManifestEntry { Id = c.Id, AudioPath = $"{c.Id}.wav", Speaker = c.Speaker, Emotion = "anger", Split = c.Split }).ToArray())
            .Save(folder);
}
