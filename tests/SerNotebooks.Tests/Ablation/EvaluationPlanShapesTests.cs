using SerNotebooks.Ablation;
using SerNotebooks.Data;

namespace SerNotebooks.Tests.Ablation;

/// <summary>The plan's keys and folder names under sessions, label fractions and the linear probe.</summary>
public class EvaluationPlanShapesTests
{
    [Fact]
    public void ASessionsPlanHasOneRunPerConfigurationSeedAndSessionInSessionFolders()
    {
        var plan = AblationPlan.Create(seedCount: 2).WithSessions();

        Assert.Equal("5-sessions", plan.Protocol);
        Assert.True(plan.BySession);
        Assert.Equal(8 * 2 * 5, plan.Finetuning.Count);
        Assert.Equal(7 * 2, plan.Pretraining.Count);
        Assert.Equal(plan.Finetuning.Count, plan.Finetuning.Select(f => (f.Configuration, f.Seed, f.Fold)).Distinct().Count());
        Assert.Equal(plan.Finetuning.Count, plan.Finetuning.Select(f => f.RelativeDirectory).Distinct().Count());
        Assert.Equal(Path.Combine("finetune", "au-emotion-seed2-session5"),
            plan.Finetuning.Single(f => f.Configuration == "au-emotion" && f.Seed == 2 && f.Fold == 5).RelativeDirectory);
        Assert.Equal("5", plan.Finetuning.First(f => f.Fold == 5).FoldName);
        Assert.Throws<InvalidOperationException>(() => plan.WithFolds(3));
        Assert.Equal("3-fold-by-actor", AblationPlan.Create(1).WithFolds(3).Protocol);
    }

    [Fact]
    public void LabelFractionsKeyRunsByFractionAndOnlyFractionsBelowOneChangeTheFolderName()
    {
        var plain = AblationPlan.Create(seedCount: 1).WithFolds(3);
        var plan = plain.WithLabelFractions([1, 0.25, 0.1]);

        Assert.Equal([0.1, 0.25, 1], plan.LabelFractions);
        Assert.Equal(1, plan.HeadlineFraction);
        Assert.Equal(8 * 3 * 3, plan.Finetuning.Count);
        Assert.Equal(plan.Finetuning.Count, plan.Finetuning.Select(f => f.RelativeDirectory).Distinct().Count());
        Assert.Equal(Path.Combine("finetune", "baseline-seed1-fold2-frac0.25"),
            plan.Finetuning.Single(f => f.Configuration == "baseline" && f.Fold == 2 && f.LabelFraction == 0.25).RelativeDirectory);
        Assert.Equal(Path.Combine("finetune", "baseline-seed1-fold2-frac0.1"),
            plan.Finetuning.Single(f => f.Configuration == "baseline" && f.Fold == 2 && f.LabelFraction == 0.1).RelativeDirectory);
        // At fraction 1 the folders are those of an ablation without fractions: its finished runs are reused.
        Assert.Equal(plain.Finetuning.Select(f => f.RelativeDirectory), plan.Finetuning.Where(f => f.LabelFraction == 1).Select(f => f.RelativeDirectory));
        // Every fraction starts from the same pre-training runs.
        Assert.All(plan.Finetuning.Where(f => f.Pretraining is not null),
            f => Assert.Same(plan.Pretraining.Single(p => p.Combination == f.Configuration && p.Seed == f.Seed), f.Pretraining));
        Assert.Throws<ArgumentOutOfRangeException>(() => plain.WithLabelFractions([0, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => plain.WithLabelFractions([1.5]));
        Assert.Throws<ArgumentException>(() => plain.WithLabelFractions([0.5, 0.5]));
    }

    [Fact]
    public void TheProbeAddsOneFrozenRunPerConfigurationIncludingTheBaselineInProbeFolders()
    {
        var plan = AblationPlan.Create(seedCount: 1).WithLabelFractions([0.5, 1]).WithModes([FinetuneMode.Probe, FinetuneMode.Full]);

        Assert.Equal([FinetuneMode.Full, FinetuneMode.Probe], plan.Modes);
        Assert.Equal(FinetuneMode.Full, plan.HeadlineMode);
        Assert.Equal(8 * 2 * 2, plan.Finetuning.Count);
        Assert.Equal(plan.Finetuning.Count, plan.Finetuning.Select(f => f.RelativeDirectory).Distinct().Count());
        Assert.Equal(Path.Combine("finetune", "baseline-seed1-probe"),
            plan.Finetuning.Single(f => f.Configuration == "baseline" && f.LabelFraction == 1 && f.Mode == FinetuneMode.Probe).RelativeDirectory);
        Assert.Equal(Path.Combine("finetune", "au-emotion-seed1-frac0.5-probe"),
            plan.Finetuning.Single(f => f.Configuration == "au-emotion" && f.LabelFraction == 0.5 && f.Mode == FinetuneMode.Probe).RelativeDirectory);
        Assert.Equal("probe", FinetuneModes.Name(FinetuneMode.Probe));
        Assert.Equal(FinetuneMode.Full, FinetuneModes.Parse(" Full "));
        Assert.Throws<ArgumentException>(() => FinetuneModes.Parse("linear"));
    }

    [Fact]
    public void TheFineTuningConfigCarriesTheFractionOnlyBelowOneAndFreezesTheEncoderOfAProbe()
    {
        var plan = AblationPlan.Create(seedCount: 1).WithLabelFractions([0.25, 1]).WithModes([FinetuneMode.Full, FinetuneMode.Probe]);
        var corpus = new AblationCorpus(["pre"], ["emo"], null, "test");
        var profile = AblationProfile.Named("tiny");
        SerNotebooks.Training.TrainingConfig Config(string configuration, double fraction, FinetuneMode mode) =>
            AblationRunner.FinetuningConfig(plan.Finetuning.Single(f => f.Configuration == configuration && f.LabelFraction == fraction && f.Mode == mode),
                configuration == AblationPlan.Baseline ? null : "/runs/pre", corpus, profile);

        Assert.Null(Config("baseline", 1, FinetuneMode.Full).LabelFraction);
        Assert.DoesNotContain("labelFraction", Config("baseline", 1, FinetuneMode.Full).CanonicalJson());
        Assert.Equal(0.25, Config("au-emotion", 0.25, FinetuneMode.Full).LabelFraction);
        Assert.False(Config("au-emotion", 1, FinetuneMode.Full).FreezeEncoder);
        // The baseline's probe: a frozen random encoder (no pre-trained run), the chance-level reference.
        var baselineProbe = Config("baseline", 0.25, FinetuneMode.Probe);
        Assert.True(baselineProbe.FreezeEncoder);
        Assert.Null(baselineProbe.PretrainedRun);
        Assert.Equal(0.25, baselineProbe.LabelFraction);
    }

    [Fact]
    public void SessionsComeFromTheSplitColumnAndEverySpeakerIsTestedOnce()
    {
        // Speakers 1001..1010, two per session, as `prepare crema-d --split-protocol sessions-5` would write them.
        var entries = Enumerable.Range(0, 10).SelectMany(i => new[] { "a", "b" }.Select(clip => new ManifestEntry
        {
            Id = $"{1001 + i}_{clip}",
            AudioPath = $"{1001 + i}_{clip}.wav",
            Speaker = $"{1001 + i}",
            Emotion = "anger",
            Split = $"session{i / 2 + 1}",
        })).ToList();

        var sessions = SpeakerFolds.FromSessions(entries);

        Assert.Equal(5, sessions.Count);
        Assert.True(sessions.BySession);
        Assert.Equal(["1005", "1006"], sessions.SpeakersOf(3));
        Assert.Equal(1, sessions.DevFoldOf(5));
        var splits = sessions.SplitsFor(5);
        Assert.Equal(["1009", "1010"], splits.Where(s => s.Value == "test").Select(s => s.Key).Order());
        Assert.Equal(["1001", "1002"], splits.Where(s => s.Value == "dev").Select(s => s.Key).Order());
        Assert.Equal(entries.Select(e => e.Speaker).Distinct().Order(), Enumerable.Range(1, 5).SelectMany(sessions.SpeakersOf).Order());
        Assert.StartsWith("session 1: 1001 1002", sessions.Describe());

        Assert.Throws<ArgumentException>(() => SpeakerFolds.FromSessions(entries.Select(e => e with { Split = "train" })));
        Assert.Throws<ArgumentException>(() => SpeakerFolds.FromSessions(entries.Select((e, i) => i == 0 ? e with { Split = "session2" } : e)));
        Assert.Throws<ArgumentException>(() => SpeakerFolds.FromSessions(entries.Where(e => e.Split != "session3")));
    }

    [Fact]
    public void ACorpusWithoutSessionsSaysWhatToRun()
    {
        var root = Path.Combine(Path.GetTempPath(), "sernb-no-sessions-" + Guid.NewGuid().ToString("N"));
        try
        {
            var entries = Enumerable.Range(1, 6).Select(i => new ManifestEntry
            {
                Id = $"c{i}", AudioPath = $"c{i}.wav", Speaker = $"{1000 + i}", Emotion = "anger", Split = i <= 4 ? "train" : i == 5 ? "dev" : "test",
            }).ToList();
            new Manifest(new ManifestMetadata("crema-d", ManifestMetadata.LabelledKind, root), root, entries).Save(root);
            var corpus = new AblationCorpus(["pre"], [root], null, "test");

            var error = Assert.Throws<InvalidDataException>(() => corpus.WithSessions());

            Assert.Contains("prepare crema-d --split-protocol sessions-5", error.Message);
            Assert.Contains("train", error.Message);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
