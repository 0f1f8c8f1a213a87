using SerNotebooks.Data;
using SerNotebooks.Data.CremaD;
using SerNotebooks.Evaluation;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Training;

/// <summary>Fine-tuning on the raters' labels (the tiny demo corpus's simulated votes) and with the penalty-matrix term.</summary>
[Collection("training tiny corpus")]
public class RaterTargetTrainingTests(TrainingCorpusFixture corpus)
{
    [Fact]
    public void SoftVoiceTargetsWithThePenaltyTermTrainEndToEndAndScoreAgainstBothReferences()
    {
        var config = corpus.FineTuning(epochs: 2) with { Labels = FinetuneLabels.SoftVoice, Penalty = new PenaltyLossConfig { Alpha = 0.5 } };
        var run = corpus.NewRunDirectory("soft-penalty");

        var result = TrainingRun.Run(config, run);

        var folder = new RunFolder(run);
        Assert.Equal(2, result.EpochsRun);
        Assert.All(folder.ReadMetrics(2), row => Assert.True(double.IsFinite(row["train_loss"]) && row["train_loss"] > 0, $"train_loss {row["train_loss"]}"));
        Assert.Contains("\"labels\": \"soft-voice\"", File.ReadAllText(folder.ConfigPath));

        // The penalty matrix is counted from the training actors' (1001, 1002) voice-only votes only.
        var manifest = Manifest.Load(corpus.CremaManifest);
        var trainVotes = manifest.Entries.Where(e => e.Speaker is "1001" or "1002")
            .Select(e => CremaDPerception.FromManifestColumns(e)!.Votes[RatingModality.Voice]).ToArray();
        Assert.NotEmpty(trainVotes);
        Assert.Equal(PenaltyMatrix.FromVotes(config.Emotions, trainVotes).ToCsv(), File.ReadAllText(Path.Combine(run, PenaltyMatrix.FileName)));

        // predictions.csv carries both references, and the run's metrics are recomputed from it against each.
        var predictions = PredictionsFile.Read(folder.PredictionsPath);
        Assert.Equal(["perceived_av", "perceived_voice"], predictions.ReferenceNames);
        Assert.Equal(ClassificationReport.FromPredictions(predictions).Macro.F1, result.Metrics["test_macro_f1"], 12);
        foreach (var reference in predictions.ReferenceNames)
        {
            var against = predictions.Against(reference);
            Assert.InRange(against.Count, 1, predictions.Count);
            Assert.Equal(against.Count, result.Metrics[$"test_{reference}_utterances"]);
            Assert.Equal(ClassificationReport.FromPredictions(against).Macro.F1, result.Metrics[$"test_{reference}_macro_f1"], 12);
        }
        var test = manifest.Entries.Where(e => e.Speaker == "1004").ToDictionary(e => e.Id);
        Assert.All(predictions.Predictions, p => Assert.Equal(
            CremaDPerception.FromManifestColumns(test[p.Id])!.Votes[RatingModality.Voice].UniqueMajority ?? "", p.References["perceived_voice"]));
    }

    [Fact]
    public void MultiLabelTargetsAreTheEmotionsAnyRaterChoseAndTrainWithThePenaltyTerm()
    {
        var config = corpus.FineTuning(epochs: 1) with { Labels = FinetuneLabels.MultiVoice, Penalty = new PenaltyLossConfig { Alpha = 0.5 } };
        var run = corpus.NewRunDirectory("multi-penalty");

        var result = TrainingRun.Run(config, run);

        var folder = new RunFolder(run);
        var trainLoss = folder.ReadMetrics(1).Single()["train_loss"];
        Assert.True(double.IsFinite(trainLoss) && trainLoss > 0, $"train_loss {trainLoss}");
        Assert.Contains("\"labels\": \"multi-voice\"", File.ReadAllText(folder.ConfigPath));
        Assert.Contains("test_perceived_voice_macro_f1", result.Metrics.Keys);
        Assert.True(File.Exists(Path.Combine(run, PenaltyMatrix.FileName)));
        // Most simulated clips have more than one emotion chosen: the targets are multi-label, not the majority.
        var votes = Manifest.Load(corpus.CremaManifest).Entries.Where(e => e.Speaker is "1001" or "1002")
            .Select(e => CremaDPerception.FromManifestColumns(e)!.Votes[RatingModality.Voice]).ToArray();
        Assert.Contains(votes, v => v.Counts.Count(c => c > 0) > 1);
        Assert.Equal(TargetLoss.BinaryCrossEntropy, TargetDistributionLoss.LossOf(FinetuneLabels.MultiAv));
    }

    [Fact]
    public void PerceivedLabelsTrainOnTheMajorityAndDifferFromIntendedTraining()
    {
        var intended = TrainingRun.Run(corpus.FineTuning(epochs: 1), corpus.NewRunDirectory("intended"));
        var perceivedRun = corpus.NewRunDirectory("perceived");
        var perceived = TrainingRun.Run(corpus.FineTuning(epochs: 1) with { Labels = FinetuneLabels.PerceivedAv }, perceivedRun);

        var trainLoss = new RunFolder(perceivedRun).ReadMetrics(1).Single()["train_loss"];
        Assert.True(double.IsFinite(trainLoss), $"{trainLoss}");
        Assert.Contains("test_perceived_av_macro_f1", perceived.Metrics.Keys);
        Assert.False(File.Exists(Path.Combine(perceivedRun, PenaltyMatrix.FileName)), "no penalty, no matrix");
        Assert.NotEqual(intended.Metrics["test_loss"], perceived.Metrics["test_loss"]);
    }

    [Fact]
    public void DefaultsLeaveTheConfigJsonAsBeforeAndBadSettingsAreRefused()
    {
        var json = corpus.FineTuning().CanonicalJson();
        Assert.DoesNotContain("\"labels\"", json);
        Assert.DoesNotContain("\"penalty\"", json);

        // `sernb train` reads the fields from a config file (kebab-case labels).
        var file = Path.Combine(corpus.Root, $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "manifests": ["m"], "labels": "perceived-voice", "penalty": { "alpha": 0.5, "beta": 0.8 } }""");
        var loaded = TrainingConfig.Load(file);
        Assert.Equal((FinetuneLabels.PerceivedVoice, 0.5, 0.8), (loaded.Labels, loaded.Penalty!.Alpha, loaded.Penalty.Beta));

        var noPenaltyWeight = corpus.FineTuning() with { Penalty = new PenaltyLossConfig { Alpha = 0, Beta = 0 } };
        Assert.Contains("alpha and beta", Assert.Throws<ArgumentException>(() => noPenaltyWeight.Validate()).Message);
        var unrated = corpus.FineTuning() with { Labels = FinetuneLabels.SoftAv, Emotions = ["anger", "calm"] };
        Assert.Contains("'calm' has no rater votes", Assert.Throws<ArgumentException>(() => unrated.Validate()).Message);
    }
}
