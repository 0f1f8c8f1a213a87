using System.Text.Json;
using SerNotebooks.Ablation;
using SerNotebooks.Cli.Commands;
using SerNotebooks.Data;
using SerNotebooks.Evaluation;
using SerNotebooks.Tests.Demo;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Ablation;

/// <summary>
/// `sernb reproduce` end to end with the evaluation a reviewer asks for: label fractions under k-fold, CREMA-D's five
/// sessions from a prepared manifest, and the linear probe beside full fine-tuning — each table recomputable from the
/// prediction files, every speaker tested once per (seed, fraction, mode), the training subsets nested and shared.
/// </summary>
[Collection(TinyCorpusCollection.Name)]
public sealed class EvaluationProtocolsReproduceTests(TinyCorpusFixture corpus) : IDisposable
{
    // Ten actors, two per session by CREMA-D's actor-id ranges (CremaDCorpus.SessionOf).
    private static readonly int[] SessionActors = [1001, 1002, 1019, 1020, 1037, 1038, 1055, 1056, 1073, 1074];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sernb-protocols-" + Guid.NewGuid().ToString("N"));

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
    public void LabelFractionsUnderKFoldTrainNestedSubsetsSharedByEveryConfigurationAndSummarisePerFraction()
    {
        var output = Path.Combine(_root, "out");
        var (exit, log) = CliHarness.Run(ReproduceCommand.Create,
            "reproduce", "--corpus", corpus.Root, "--profile", "tiny", "--seeds", "1", "--label-fractions", "0.25,1", "--folds", "3",
            "--no-notebooks", "--out", output);

        Assert.True(exit == 0, log);
        Assert.Contains("evaluation 3-fold-by-actor", log);
        Assert.Contains("trained 55 run(s)", log); // 7 pre-training runs + 8 configurations × 3 folds × 2 fractions.
        var plan = AblationPlan.Create(seedCount: 1).WithFolds(3).WithLabelFractions([0.25, 1]);
        var (rows, frame) = AssertRecomputable(plan, output, "3-fold-by-actor");
        Assert.Equal(["configuration", "seed", "fold", "evaluation", "label_fraction", "mode"], frame.ColumnKeys.Take(6));
        AssertEverySpeakerTestedOnce(plan, output, Path.Combine(corpus.Root, "manifests", "crema-d"));

        // Training subsets: per (seed, fold), the 0.25 subset ⊂ all, and the same clips for every configuration.
        foreach (var fold in Enumerable.Range(1, 3))
        {
            var quarter = TrainingClipsPerConfiguration(plan, output, fold, 0.25, FinetuneMode.Full);
            var all = TrainingClipsPerConfiguration(plan, output, fold, 1, FinetuneMode.Full);
            Assert.Single(quarter.Values.Select(ids => string.Join(",", ids)).Distinct());
            Assert.Single(all.Values.Select(ids => string.Join(",", ids)).Distinct());
            var small = quarter.Values.First();
            var large = all.Values.First();
            Assert.True(small.IsSubsetOf(large) && small.Count < large.Count, $"fold {fold}: {small.Count} of {large.Count} clips, not a proper subset");
        }
        Assert.True(Directory.Exists(Path.Combine(output, "finetune", "baseline-seed1-fold1-frac0.25")));
        Assert.True(Directory.Exists(Path.Combine(output, "finetune", "baseline-seed1-fold1")));

        // summary.csv: one block of 8 rows per fraction, each over the 3 folds of its own fraction; the pair is the seed
        // (its folds averaged first: they share the seed's pre-trained encoder), so 1 seed gives 1 pair.
        var summary = ReadCsvRows(Path.Combine(output, AblationRunner.SummaryFileName));
        Assert.Equal(16, summary.Count);
        Assert.Equal(["0.25", "1"], summary.Select(r => r["label_fraction"]).Distinct());
        Assert.All(summary, r => Assert.Equal("3", r["runs"]));
        Assert.All(summary.Where(r => r["configuration"] != "baseline"), r => Assert.Equal("1", r["macro_f1_pairs"]));
        Assert.All(summary.Where(r => r["configuration"] != "baseline"), r => Assert.Contains("seed (mean over 3 folds)", r["pair_unit"], StringComparison.Ordinal)); // quoted in the CSV
        Assert.True(File.Exists(Path.Combine(output, "charts", "label-efficiency.html")));
    }

    [Fact]
    public void FiveSessionsFromAPreparedManifestTestEverySessionOnceAndNameTheProtocol()
    {
        var user = Path.Combine(_root, "crema-layout");
        CopyManifest(Path.Combine(corpus.Root, "manifests", "pretraining"), Path.Combine(user, "pretraining"), null);
        var emotion = Path.Combine(user, "crema-d");
        CopyManifest(Path.Combine(corpus.Root, "manifests", "crema-d"), emotion, SessionLayout);
        var output = Path.Combine(_root, "out");

        var (exit, log) = CliHarness.Run(ReproduceCommand.Create,
            "reproduce", "--corpus", user, "--profile", "tiny", "--seeds", "1", "--protocol", "sessions", "--no-notebooks", "--out", output);

        Assert.True(exit == 0, log);
        Assert.Contains("evaluation 5-sessions", log);
        Assert.Contains("trained 47 run(s)", log); // 7 pre-training runs + 8 configurations × 5 sessions.
        var plan = AblationPlan.Create(seedCount: 1).WithSessions();
        AssertRecomputable(plan, output, "5-sessions");
        var tested = AssertEverySpeakerTestedOnce(plan, output, emotion);
        foreach (var (speaker, session) in tested)
        {
            // Session i tests exactly the actors that CREMA-D's session i holds.
            Assert.Equal(SerNotebooks.Data.CremaD.CremaDCorpus.SessionOf(int.Parse(speaker, System.Globalization.CultureInfo.InvariantCulture)), $"session{session}");
        }
        Assert.True(Directory.Exists(Path.Combine(output, "finetune", "au-emotion-seed1-session5")));
        var summary = ResultsTable.ReadSummaryCsv(Path.Combine(output, AblationRunner.SummaryFileName));
        Assert.Equal("5-sessions", ResultsTable.EvaluationOf(summary));
        using var description = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, AblationRunner.PlanFileName)));
        Assert.Equal("5-sessions", description.RootElement.GetProperty("protocol").GetString());
        Assert.True(description.RootElement.GetProperty("bySession").GetBoolean());

        // The same manifest with train/dev/test splits only: a clear error naming the command that writes sessions.
        CopyManifest(Path.Combine(corpus.Root, "manifests", "crema-d"), emotion, null);
        var (refused, message) = CliHarness.Run(ReproduceCommand.Create,
            "reproduce", "--corpus", user, "--profile", "tiny", "--seeds", "1", "--protocol", "sessions", "--no-notebooks", "--out", Path.Combine(_root, "refused"));
        Assert.Equal(1, refused);
        Assert.Contains("--split-protocol sessions-5", message);
    }

    [Fact]
    public void TheProbeRunsBesideFullFineTuningWithAFrozenEncoderAndIsSummarisedPerMode()
    {
        var output = Path.Combine(_root, "out");
        var (exit, log) = CliHarness.Run(ReproduceCommand.Create,
            "reproduce", "--corpus", corpus.Root, "--profile", "tiny", "--seeds", "1", "--probe", "--no-notebooks", "--out", output);

        Assert.True(exit == 0, log);
        Assert.Contains("trained 23 run(s)", log); // 7 pre-training runs + 8 configurations × {full, probe}.
        var plan = AblationPlan.Create(seedCount: 1).WithModes([FinetuneMode.Full, FinetuneMode.Probe]);
        var (rows, _) = AssertRecomputable(plan, output, "test-split");
        Assert.Equal(8, rows.Count(r => r["mode"] == "probe"));
        foreach (var run in plan.Finetuning)
        {
            var config = TrainingConfig.Load(Path.Combine(output, run.RelativeDirectory, "config.json"));
            Assert.Equal(run.Mode == FinetuneMode.Probe, config.FreezeEncoder);
            Assert.Equal(run.Configuration == AblationPlan.Baseline, config.PretrainedRun is null);
        }
        var summary = ReadCsvRows(Path.Combine(output, AblationRunner.SummaryFileName));
        Assert.Equal(["full", "probe"], summary.Select(r => r["mode"]).Distinct());
        Assert.True(File.Exists(Path.Combine(output, "charts", "full-vs-probe.html")));
    }

    /// <summary>Every metric of results.csv equals the one recomputed from the run's predictions.csv; the relative change compares within (seed, fold, fraction, mode).</summary>
    private static (List<Dictionary<string, string>> Rows, Deedle.Frame<int, string> Frame) AssertRecomputable(AblationPlan plan, string output, string protocol)
    {
        var runsPath = Path.Combine(output, AblationRunner.RunsFileName);
        var frame = ResultsTable.ReadRunsCsv(runsPath);
        Assert.Equal(protocol, ResultsTable.EvaluationOf(frame));
        var metrics = ResultsTable.ReadRuns(runsPath);
        var rows = ReadCsvRows(runsPath);
        Assert.Equal(plan.Finetuning.Count, rows.Count);
        // The fraction and the mode identify a run; they are not metrics.
        Assert.DoesNotContain(ResultsTable.LabelFractionColumn, metrics[0].Metrics.Keys);
        Assert.DoesNotContain(ResultsTable.ModeColumn, metrics[0].Metrics.Keys);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var planned = plan.Finetuning.Single(f => f.Configuration == row["configuration"] && f.FoldName == (row.TryGetValue("fold", out var fold) ? fold : null)
                && f.LabelFractionName == row["label_fraction"] && FinetuneModes.Name(f.Mode) == row["mode"]);
            var predictions = PredictionsFile.Read(Path.Combine(output, planned.RelativeDirectory, "predictions.csv"));
            var expected = RunMetrics.FromReport(planned.Configuration, planned.Seed, ClassificationReport.FromPredictions(predictions), planned.FoldName);
            foreach (var (metric, value) in expected.Metrics)
            {
                Assert.Equal(value, metrics[i][metric], 12);
            }
            var baselineIndex = rows.FindIndex(b => b["configuration"] == AblationPlan.Baseline && b.GetValueOrDefault("fold") == row.GetValueOrDefault("fold")
                && b["label_fraction"] == row["label_fraction"] && b["mode"] == row["mode"]);
            var baseline = metrics[baselineIndex][MetricNames.MacroF1];
            if (baseline > 0)
            {
                Assert.Equal(100 * (metrics[i][MetricNames.MacroF1] - baseline) / baseline, metrics[i][AblationRunner.RelativeChangeColumn(MetricNames.MacroF1)], 9);
            }
        }
        return (rows, frame);
    }

    /// <summary>Per (configuration, seed, fraction, mode), every speaker of the manifest is tested in exactly one fold; speaker → fold.</summary>
    private static Dictionary<string, int> AssertEverySpeakerTestedOnce(AblationPlan plan, string output, string emotionManifest)
    {
        var speakerOf = Manifest.Load(emotionManifest).Entries.ToDictionary(e => e.Id, e => e.Speaker);
        Dictionary<string, int>? last = null;
        foreach (var group in plan.Finetuning.GroupBy(f => (f.Configuration, f.Seed, f.LabelFraction, f.Mode)))
        {
            var testedIn = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var run in group)
            {
                var predictions = PredictionsFile.Read(Path.Combine(output, run.RelativeDirectory, "predictions.csv"));
                foreach (var speaker in predictions.Predictions.Select(p => speakerOf[p.Id]).Distinct())
                {
                    Assert.True(testedIn.TryAdd(speaker, run.Fold!.Value), $"{group.Key}: speaker {speaker} tested in folds {testedIn.GetValueOrDefault(speaker)} and {run.Fold}");
                }
            }
            Assert.Equal(speakerOf.Values.Distinct().Order(), testedIn.Keys.Order());
            last = testedIn;
        }
        return last!;
    }

    /// <summary>The training clips of each configuration's run at (fold, fraction, mode), read back from its config.json.</summary>
    private static Dictionary<string, SortedSet<string>> TrainingClipsPerConfiguration(AblationPlan plan, string output, int fold, double fraction, FinetuneMode mode) =>
        plan.Finetuning
            .Where(f => f.Fold == fold && f.LabelFraction == fraction && f.Mode == mode)
            .ToDictionary(f => f.Configuration, f =>
            {
                var config = TrainingConfig.Load(Path.Combine(output, f.RelativeDirectory, "config.json"));
                Assert.Equal(fraction < 1 ? fraction : null, config.LabelFraction);
                return new SortedSet<string>(TrainingRun.SelectClips(config).Where(c => c.Split == "train").Select(c => c.Entry.Id), StringComparer.Ordinal);
            });

    private static List<Dictionary<string, string>> ReadCsvRows(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        // The tables' identifier columns hold no commas; metric cells are plain numbers.
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal)).ToList();
    }

    /// <summary>The tiny corpus's clips dealt, in id order, to ten actors two per CREMA-D session, the split column holding the session.</summary>
    private static ManifestEntry SessionLayout(ManifestEntry entry, int index)
    {
        var actor = SessionActors[index % SessionActors.Length];
        return entry with { Speaker = actor.ToString(System.Globalization.CultureInfo.InvariantCulture), Split = SerNotebooks.Data.CremaD.CremaDCorpus.SessionOf(actor) };
    }

    private static void CopyManifest(string from, string to, Func<ManifestEntry, int, ManifestEntry>? rewrite)
    {
        var manifest = Manifest.Load(from);
        var entries = rewrite is null ? manifest.Entries : manifest.Entries.OrderBy(e => e.Id, StringComparer.Ordinal).Select(rewrite).ToList();
        // An absolute data root: the copy lives elsewhere, the audio stays where it is.
        new Manifest(manifest.Metadata with { DataRoot = manifest.DataRoot }, manifest.DataRoot, entries).Save(to);
    }
}
