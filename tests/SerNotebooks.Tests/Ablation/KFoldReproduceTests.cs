using System.Text.Json;
using SerNotebooks.Ablation;
using SerNotebooks.Cli.Commands;
using SerNotebooks.Data;
using SerNotebooks.Evaluation;
using SerNotebooks.Notebooks;

namespace SerNotebooks.Tests.Ablation;

public sealed class KFoldReproduceTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sernb-kfold-" + Guid.NewGuid().ToString("N"));

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
    public void ThreeFoldReproductionTestsEverySpeakerOnceAndItsTableIsRecomputableFromThePredictions()
    {
        var (exit, output) = CliHarness.Run(ReproduceCommand.Create,
            "reproduce", "--profile", "tiny", "--seeds", "1", "--folds", "3", "--no-notebooks", "--out", _root);

        Assert.True(exit == 0, output);
        Assert.Contains("evaluation 3-fold-by-actor", output);
        Assert.Contains("trained 31 run(s)", output); // 7 shared pre-training runs + 8 configurations × 3 folds.
        var plan = AblationPlan.Create(seedCount: 1).WithFolds(3);
        var runsPath = Path.Combine(_root, AblationRunner.RunsFileName);
        var frame = ResultsTable.ReadRunsCsv(runsPath);
        Assert.Equal(["configuration", "seed", "fold", "evaluation"], frame.ColumnKeys.Take(4));
        Assert.Equal("3-fold-by-actor", ResultsTable.EvaluationOf(frame));
        var rows = ResultsTable.ReadRuns(runsPath);
        Assert.Equal(8 * 3, rows.Count);

        var manifest = Manifest.Load(Path.Combine(_root, "corpus", "manifests", "crema-d"));
        var speakerOf = manifest.Entries.ToDictionary(e => e.Id, e => e.Speaker);
        foreach (var configuration in plan.Configurations)
        {
            var testedBy = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var row in rows.Where(r => r.Configuration == configuration))
            {
                var planned = plan.Finetuning.Single(f => f.Configuration == row.Configuration && f.Seed == row.Seed && f.FoldName == row.Fold);
                var predictions = PredictionsFile.Read(Path.Combine(_root, planned.RelativeDirectory, "predictions.csv"));
                var expected = RunMetrics.FromReport(row.Configuration, row.Seed, ClassificationReport.FromPredictions(predictions), row.Fold);
                foreach (var (metric, value) in expected.Metrics)
                {
                    Assert.Equal(value, row[metric], 12);
                }
                var baseline = rows.Single(b => b.Configuration == AblationPlan.Baseline && b.Seed == row.Seed && b.Fold == row.Fold);
                if (baseline[MetricNames.MacroF1] > 0)
                {
                    Assert.Equal(100 * (row[MetricNames.MacroF1] - baseline[MetricNames.MacroF1]) / baseline[MetricNames.MacroF1],
                        row[AblationRunner.RelativeChangeColumn(MetricNames.MacroF1)], 9);
                }
                foreach (var speaker in predictions.Predictions.Select(p => speakerOf[p.Id]).Distinct())
                {
                    // A speaker tested in two folds would be caught here.
                    Assert.True(testedBy.TryAdd(speaker, row.Fold!), $"{configuration}: speaker {speaker} tested in folds {testedBy.GetValueOrDefault(speaker)} and {row.Fold}");
                }
                // The run trained and developed on other speakers than it tested.
                var splits = SerNotebooks.Training.TrainingConfig.Load(Path.Combine(_root, planned.RelativeDirectory, "config.json")).SpeakerSplits!;
                Assert.All(predictions.Predictions, p => Assert.Equal("test", splits[speakerOf[p.Id]]));
                Assert.Contains(splits.Values, v => v == "train");
                Assert.Contains(splits.Values, v => v == "dev");
            }
            // Every speaker of the corpus is tested exactly once over the folds.
            Assert.Equal(speakerOf.Values.Distinct().Order(), testedBy.Keys.Order());
        }

        var summary = ResultsTable.ReadSummaryCsv(Path.Combine(_root, AblationRunner.SummaryFileName));
        Assert.Equal("3-fold-by-actor", ResultsTable.EvaluationOf(summary));
        Assert.Equal(3, summary.GetColumn<int>(ResultsTable.RunsColumn).Get("baseline"));
        // Design change: the pair is the seed (its folds averaged, as they share its pre-trained encoder), so one
        // seed × 3 folds is 1 pair, not the 3 (seed, fold) pairs of before, and the tests are undefined.
        Assert.Equal(1, summary.GetColumn<double>(MetricNames.MacroF1 + "_pairs").Get("au-emotion"));
        Assert.Equal("seed (mean over 3 folds)", summary.GetColumn<string>(ResultsTable.PairUnitColumn).Get("au-emotion"));
        // With 1 pair the t-test is undefined, so its Holm value is too (an all-empty column: Deedle reads it as text).
        Assert.Contains(MetricNames.MacroF1 + "_t_p_holm", summary.ColumnKeys);
        // The speaker-bootstrap interval, recomputed from the predictions joined with the manifest's speakers: each
        // fold resamples its own test speakers.
        var auEmotion = plan.Finetuning.Where(f => f.Configuration == "au-emotion").Select(f => RunPredictions.Join(f.Configuration, f.Seed, f.FoldName,
            PredictionsFile.Read(Path.Combine(_root, f.RelativeDirectory, "predictions.csv")), speakerOf)).ToArray();
        var interval = SpeakerBootstrap.MacroF1(auEmotion);
        Assert.Equal(interval.Low, summary.GetColumn<double>(MetricNames.MacroF1 + "_ci_low").Get("au-emotion"), 15);
        Assert.Equal(interval.High, summary.GetColumn<double>(MetricNames.MacroF1 + "_ci_high").Get("au-emotion"), 15);
        Assert.InRange(interval.Low, 0, interval.High);
        using (var description = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, AblationRunner.PlanFileName))))
        {
            Assert.Equal("3-fold-by-actor", description.RootElement.GetProperty("protocol").GetString());
            Assert.Contains("3-fold cross-validation by actor", description.RootElement.GetProperty("evaluation").GetString());
        }

        // A notebook opening the folder without a folds parameter reads the k-fold runs (and trains nothing).
        var experiment = NotebookExperiment.Open("demo", "tiny", 1, _root, log: _ => { });
        Assert.Equal(3, experiment.Plan.Folds);
        var results = experiment.LoadResults();
        Assert.Equal(rows.Select(r => (r.Configuration, r.Fold)), results.Runs.Select(r => (r.Configuration, r.Fold)));
        for (var i = 0; i < rows.Count; i++)
        {
            // The CSV keeps 15–16 significant digits: compare to 12 places, as above.
            Assert.Equal(rows[i][MetricNames.MacroF1], results.Runs[i][MetricNames.MacroF1], 12);
        }
        Assert.Equal("3-fold-by-actor", ReportFrames.AblationTable(results.Summary).GetColumn<string>(ResultsTable.EvaluationColumn).Get("baseline"));
        Assert.True(double.IsNaN(results.Summary["au-emotion"].VersusBaseline[MetricNames.MacroF1].TTestPHolm));
        Assert.Equal(interval, results.Summary["au-emotion"].MacroF1Interval);
        // A notebook parameter folds selects k-fold explicitly; k = 2 leaves no fold to train on.
        Assert.Equal(3, NotebookExperiment.Open("demo", "tiny", 1, _root, log: _ => { }, folds: 3).Plan.Folds);
        Assert.Throws<ArgumentOutOfRangeException>(() => NotebookExperiment.Open("demo", "tiny", 1, _root, log: _ => { }, folds: 2));
    }
}
