using SerNotebooks.Ablation;
using SerNotebooks.Charts;
using SerNotebooks.Cli.Commands;
using SerNotebooks.Evaluation;

namespace SerNotebooks.Tests.Ablation;

public sealed class ReproduceCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sernb-reproduce-" + Guid.NewGuid().ToString("N"));

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
    public void TinyReproductionProducesTheTableChartsAndPredictionsAndEveryTableMetricIsRecomputable()
    {
        var (exit, output) = Invoke(["reproduce", "--profile", "tiny", "--seeds", "1", "--no-notebooks", "--out", _root]);

        Assert.True(exit == 0, output);
        var plan = AblationPlan.Create(seedCount: 1);
        var runs = ResultsTable.ReadRunsCsv(Path.Combine(_root, AblationRunner.RunsFileName));
        Assert.Equal(8, runs.RowCount);
        Assert.DoesNotContain(ResultsTable.FoldColumn, runs.ColumnKeys);
        Assert.Equal(AblationPlan.TestSplitProtocol, ResultsTable.EvaluationOf(runs));
        Assert.Contains("evaluation test-split", output);
        foreach (var row in ResultsTable.ReadRuns(Path.Combine(_root, AblationRunner.RunsFileName)))
        {
            var planned = plan.Finetuning.Single(f => f.Configuration == row.Configuration && f.Seed == row.Seed);
            var predictions = PredictionsFile.Read(Path.Combine(_root, planned.RelativeDirectory, "predictions.csv"));
            var expected = RunMetrics.FromReport(row.Configuration, row.Seed, ClassificationReport.FromPredictions(predictions));
            // Every metric column of the table, per-class F1 included, is the one recomputed from the predictions.
            foreach (var (metric, value) in expected.Metrics)
            {
                Assert.Equal(value, row[metric], 12);
            }
        }
        var summary = ResultsTable.ReadSummaryCsv(Path.Combine(_root, AblationRunner.SummaryFileName));
        Assert.Equal(plan.Configurations, summary.RowKeys);
        Assert.Equal(AblationPlan.TestSplitProtocol, ResultsTable.EvaluationOf(summary));
        Assert.Equal("seed", summary.GetColumn<string>(ResultsTable.PairUnitColumn).Get("au-emotion"));
        Assert.Contains(MetricNames.MacroF1 + "_t_p_holm", summary.ColumnKeys);
        Assert.Contains(MetricNames.MacroF1 + "_wilcoxon_p_holm", summary.ColumnKeys);
        var ciLow = summary.GetColumn<double>(MetricNames.MacroF1 + "_ci_low");
        var ciHigh = summary.GetColumn<double>(MetricNames.MacroF1 + "_ci_high");
        Assert.All(plan.Configurations, c => Assert.InRange(ciLow.Get(c), 0, ciHigh.Get(c)));
        // The printed table has the pairs, the interval and the Holm-adjusted p-values.
        foreach (var header in new[] { "pairs", "F1 95% CI", "t p Holm", "W p Holm" })
        {
            Assert.Contains(header, output);
        }
        Assert.Contains("Holm: p adjusted across the 7 configurations", output);
        var charts = Directory.GetFiles(Path.Combine(_root, Reproduction.ChartsFolder), "*.html");
        Assert.Equal(3 + 8 + 1, charts.Length);
        foreach (var chart in charts)
        {
            // plotly.js is embedded: no script is loaded from elsewhere, so the file opens offline.
            Assert.Null(ChartFile.ExternalScriptSource(File.ReadAllText(chart)));
        }
        Assert.Contains("trained 15 run(s), skipped 0", output);

        var (again, secondOutput) = Invoke(["reproduce", "--profile", "tiny", "--seeds", "1", "--no-notebooks", "--out", _root]);

        Assert.Equal(0, again);
        Assert.Contains("trained 0 run(s), skipped 15", secondOutput);
    }

    [Fact]
    public void AnExperimentFileRunsAsItsOwnExperimentAndTheResultsFolderKeepsACopy()
    {
        var file = OneSeedTinyExperiment("tiny-one-seed");
        var output = Path.Combine(_root, "out");

        var (exit, text) = Invoke(["reproduce", "--experiment", file, "--no-notebooks", "--out", output]);

        Assert.True(exit == 0, text);
        Assert.Contains("profile tiny-one-seed, 8 configurations × 1 seed(s)", text); // the seeds come from the file
        var kept = AblationProfile.Load(Path.Combine(output, AblationRunner.ExperimentFileName));
        Assert.Equal(AblationProfile.Load(file), kept);
        Assert.Equal(8, ResultsTable.ReadRunsCsv(Path.Combine(output, AblationRunner.RunsFileName)).RowCount);

        (exit, text) = Invoke(["reproduce", "--experiment", file, "--profile", "tiny", "--out", output]);
        Assert.Equal(1, exit);
        Assert.Contains("either --profile or --experiment", text);
    }

    [Fact]
    public void AnExperimentWithTargetsTrainsNotebook07sStudyAfterTheAblationAndTheNotebookReusesIt()
    {
        var file = OneSeedTinyExperiment("tiny-targets", "\"targets\": [\"intended\", \"soft-voice\"]");
        var output = Path.Combine(_root, "out");

        var (exit, text) = Invoke(["reproduce", "--experiment", file, "--no-notebooks", "--jobs", "1", "--out", output]);

        Assert.True(exit == 0, text);
        // No --beyond: the experiment's "targets" ask for the study. The baseline and the best configuration × soft-voice are
        // new; their intended runs and the best configuration's pre-training are the ablation's.
        Assert.Contains("beyond the paper: 2 configurations × 2 targets × 1 seed(s)", text);
        Assert.Contains("trained 2 run(s), reused 3", text);
        Assert.True(File.Exists(Path.Combine(output, "beyond", AblationRunner.SummaryFileName)), text);
        // Notebook 07 with its default parameters resolves to the same study and only reads it.
        var experiment = SerNotebooks.Notebooks.NotebookExperiment.Open(profile: file, seeds: 1, runs: output, log: _ => { });
        var study = experiment.TargetStudy();
        Assert.Equal(["intended", "soft-voice"], study.Plan.Targets.Select(t => t.Name));
        var result = experiment.RunTargetStudy(study);
        Assert.Equal((0, 5), (result.TrainedRuns, result.SkippedRuns));

        // Notebook 05's labels are the ones the runs trained on, read from the ablation's labels folder, not made again.
        var labelFolders = Directory.GetDirectories(Path.Combine(output, AblationLabels.FolderName));
        var config = AblationRunner.PretrainingConfig(experiment.Plan.Pretraining.MaxBy(p => p.Tasks.Count)!, experiment.Corpus, experiment.Profile);
        var sets = experiment.RunLabelSets(config);
        Assert.Equal(labelFolders, Directory.GetDirectories(Path.Combine(output, AblationLabels.FolderName)));
        Assert.Equal(config.Tasks.Select(t => t.Name), sets.Keys);
        var copy = Path.Combine(_root, "labels-copy");
        foreach (var set in sets.Values)
        {
            SerNotebooks.Pretext.PretextLabelSetFile.Write(set, copy);
            Assert.Equal(File.ReadAllText(SerNotebooks.Pretext.PretextLabelSetFile.CsvPath(Assert.Single(labelFolders), set.TaskName)),
                File.ReadAllText(SerNotebooks.Pretext.PretextLabelSetFile.CsvPath(copy, set.TaskName)));
        }
    }

    [Fact]
    public void BeyondAddsEveryOptInTaskToTheStudyReusesTheAblationsLabelsAndNotebook07DefaultsToTheStudyTheFolderHolds()
    {
        var file = OneSeedTinyExperiment("tiny-beyond");
        var output = Path.Combine(_root, "out");

        var (exit, text) = Invoke(["reproduce", "--experiment", file, "--no-notebooks", "--jobs", "1", "--beyond", "--out", output]);

        Assert.True(exit == 0, text);
        // The experiment names no targets and its combinations are "best": --beyond adds the opt-in tasks, each pre-trained alone,
        // and the default targets. New: their 2 pre-training runs, their 2 × 3 fine-tuning runs and the other 2 configurations × 2
        // non-intended targets; reused: the best configuration's pre-training and the intended runs of the baseline and of it.
        Assert.Contains("beyond the paper: 4 configurations × 3 targets × 1 seed(s)", text);
        Assert.Contains("facial-activation-regression, clustering (opt-in: each registered opt-in task alone)", text);
        Assert.Contains("trained 12 run(s), reused 3", text);
        // The study's labels: only the opt-in tasks are labelled; the paper's tasks are copied from the ablation's set, byte for byte.
        Assert.Contains("reusing energy-variation, facial-activation, au-emotion from a label set of the same corpus, chunking and fitting clips", text);
        var labelFolders = Directory.GetDirectories(Path.Combine(output, AblationLabels.FolderName));
        Assert.Equal(2, labelFolders.Length);
        var main = Assert.Single(labelFolders, f => !File.ReadAllText(Path.Combine(f, AblationLabels.CompleteFileName)).Contains("clustering", StringComparison.Ordinal));
        var study = Assert.Single(labelFolders, f => f != main);
        foreach (var task in AblationPlan.PaperTasks)
        {
            Assert.Equal(File.ReadAllBytes(SerNotebooks.Pretext.PretextLabelSetFile.CsvPath(main, task)), File.ReadAllBytes(SerNotebooks.Pretext.PretextLabelSetFile.CsvPath(study, task)));
            Assert.Equal(File.ReadAllBytes(SerNotebooks.Pretext.PretextLabelSetFile.JsonPath(main, task)), File.ReadAllBytes(SerNotebooks.Pretext.PretextLabelSetFile.JsonPath(study, task)));
        }
        // Notebook 07's defaults are the study the folder holds (not the experiment's "best"): nothing to train, the same tables.
        var recorded = TargetStudy.Recorded(output)!;
        Assert.Equal("best;opt-in", recorded.Combinations);
        Assert.Equal(["intended", "soft-voice", "penalty"], recorded.Targets);
        var summary = File.ReadAllText(Path.Combine(output, TargetStudy.FolderName, AblationRunner.SummaryFileName));
        var experiment = SerNotebooks.Notebooks.NotebookExperiment.Open(profile: file, seeds: 1, runs: output, log: _ => { });
        var result = experiment.RunTargetStudy(experiment.TargetStudy());
        Assert.Equal((0, 15), (result.TrainedRuns, result.SkippedRuns));
        Assert.Equal(summary, File.ReadAllText(Path.Combine(output, TargetStudy.FolderName, AblationRunner.SummaryFileName)));
        Assert.All(result.Groups, g => Assert.Equal(4, g.Summary.Configurations.Count));
        Assert.Contains(result.Groups[0].Summary.Configurations, c => c.Configuration == "clustering");
        Assert.Contains(result.Groups[0].Summary.Configurations, c => c.Configuration == "facial-activation-regression");
    }

    [Fact]
    public void TheClusteringTaskReproducesWithEnergyVariationAsAnOptInTask()
    {
        string[] tasks = ["energy-variation", "clustering"];
        var (exit, output) = Invoke(["reproduce", "--profile", "tiny", "--seeds", "1", "--tasks", string.Join(',', tasks), "--no-notebooks",
            "--jobs", "1", "--out", _root]);

        Assert.True(exit == 0, output);
        string[] configurations = ["baseline", "energy-variation", "clustering", "energy-variation+clustering"];
        Assert.Equal(configurations, ResultsTable.ReadSummaryCsv(Path.Combine(_root, AblationRunner.SummaryFileName)).RowKeys);
        // The clustering runs re-clustered (pseudo-classes stored with the best model) and report the pseudo-label prior.
        foreach (var combination in new[] { "clustering", "energy-variation+clustering" })
        {
            var run = new SerNotebooks.Training.RunFolder(Path.Combine(_root, "pretrain", combination + "-seed1"));
            Assert.True(File.Exists(run.BestPseudoClassPath), combination);
            var metrics = SerNotebooks.Training.RunFolder.ReadJson<SerNotebooks.Training.TrainingResult>(run.FinalMetricsPath)!.Metrics;
            Assert.True(metrics["clustered_at_epoch_clustering"] >= 1, combination);
            Assert.True(double.IsFinite(metrics["prior_entropy_clustering"]), combination);
        }
        // A run without the clustering task stores no pseudo-classes.
        Assert.False(File.Exists(new SerNotebooks.Training.RunFolder(Path.Combine(_root, "pretrain", "energy-variation-seed1")).BestPseudoClassPath));
    }

    [Fact]
    public void AnUnknownProfileOrAMissingManifestFolderIsAClearError()
    {
        var (exit, output) = Invoke(["reproduce", "--profile", "huge", "--out", _root]);
        Assert.Equal(1, exit);
        Assert.Contains("unknown profile 'huge'", output);

        var missing = Path.Combine(_root, "no-such-corpus");
        Directory.CreateDirectory(missing);
        (exit, output) = Invoke(["reproduce", "--profile", "tiny", "--corpus", missing, "--out", _root]);
        Assert.Equal(1, exit);
        Assert.Contains("no manifests found", output);

        (exit, output) = Invoke(["reproduce", "--profile", "tiny", "--folds", "2", "--out", _root]);
        Assert.Equal(1, exit);
        Assert.Contains("--folds must be at least 3", output);
    }

    /// <summary>experiments/tiny.json with one seed, named <paramref name="name"/>, plus <paramref name="fields"/>, written into the test folder.</summary>
    // tiny.json with one seed, another name, the study's combinations (tiny's own: the whole study) and more fields.
    private string OneSeedTinyExperiment(string name, string? fields = null, string combinations = "best")
    {
        Directory.CreateDirectory(_root);
        var file = Path.Combine(_root, name + ".json");
        const string TinyCombinations = "\"targetCombinations\": \"best;opt-in\"";
        var tiny = File.ReadAllText(Data.TestWav.RepositoryFile("experiments/tiny.json"));
        Assert.Contains(TinyCombinations, tiny);
        File.WriteAllText(file, tiny
            .Replace("\"name\": \"tiny\"", $"\"name\": \"{name}\"{(fields is null ? "" : ", " + fields)}", StringComparison.Ordinal)
            .Replace("\"seeds\": 3", "\"seeds\": 1", StringComparison.Ordinal)
            .Replace(TinyCombinations, $"\"targetCombinations\": \"{combinations}\"", StringComparison.Ordinal));
        return file;
    }

    private static (int Exit, string Output) Invoke(string[] args) => CliHarness.Run(ReproduceCommand.Create, args);
}
