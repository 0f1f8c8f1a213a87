using SerNotebooks.Evaluation;

namespace SerNotebooks.Tests.Evaluation;

public sealed class SpeakerBootstrapTests
{
    internal static readonly string[] Classes = ["anger", "happiness", "sadness"];

    /// <summary>
    /// A run's test predictions: <paramref name="perClass"/> utterances of every class for every speaker (so every
    /// resample contains every class), each predicted by <paramref name="predict"/>(speaker, true class, repetition).
    /// </summary>
    internal static RunPredictions Predictions(string configuration, int seed, IReadOnlyList<string> speakers, Func<string, int, int, int> predict, string? fold = null, int perClass = 4)
    {
        var ids = new List<string>();
        var truth = new List<int>();
        var predicted = new List<int>();
        var speakerOf = new Dictionary<string, string>();
        foreach (var speaker in speakers)
        {
            for (var c = 0; c < Classes.Length; c++)
            {
                for (var r = 0; r < perClass; r++)
                {
                    var id = $"{speaker}_{Classes[c]}_{r}";
                    ids.Add(id);
                    truth.Add(c);
                    predicted.Add(predict(speaker, c, r));
                    speakerOf[id] = speaker;
                }
            }
        }
        return RunPredictions.Join(configuration, seed, fold, PredictionSet.FromIndices(Classes, ids, truth, predicted), speakerOf);
    }

    private static readonly string[] EightSpeakers = ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"];

    /// <summary>Speakers differ in how often they are recognised: speaker k misses repetitions r &lt; k mod 4 (predicting the next class).</summary>
    private static int Uneven(string speaker, int trueClass, int repetition) =>
        repetition < int.Parse(speaker[1..]) % 4 ? (trueClass + 1) % Classes.Length : trueClass;

    private static double MacroF1(RunPredictions run) => ClassificationReport.FromPredictions(run.Predictions).Macro.F1;

    [Fact]
    public void TheSameInputsGiveTheSameIntervalToTheLastDigitWhateverTheRowOrder()
    {
        RunPredictions[] runs = [Predictions("energy", 1, EightSpeakers, Uneven), Predictions("energy", 2, EightSpeakers, (s, c, r) => Uneven(s, c, r + 1))];
        var reversed = runs.Select(r => RunPredictions.Join(r.Configuration, r.Seed, r.Fold,
            new PredictionSet(Classes, r.Predictions.Predictions.Reverse()),
            r.Predictions.Predictions.Zip(r.Speakers).ToDictionary(x => x.First.Id, x => x.Second))).Reverse().ToArray();

        var first = SpeakerBootstrap.MacroF1(runs);
        var second = SpeakerBootstrap.MacroF1(runs);
        var fromReversedRows = SpeakerBootstrap.MacroF1(reversed);

        Assert.Equal(first, second);
        Assert.Equal(first, fromReversedRows);
        Assert.Equal(SpeakerBootstrap.MacroF1Replicates(runs), SpeakerBootstrap.MacroF1Replicates(runs));
        Assert.Equal(SpeakerBootstrap.DefaultResamples, first.Resamples);
        Assert.Equal(0.95, first.Level);
    }

    [Fact]
    public void TheIntervalContainsThePointEstimateAveragedOverRuns()
    {
        RunPredictions[] runs = [Predictions("energy", 1, EightSpeakers, Uneven), Predictions("energy", 2, EightSpeakers, (s, c, r) => Uneven(s, c, r + 1))];
        var point = runs.Average(MacroF1);

        var interval = SpeakerBootstrap.MacroF1(runs);

        Assert.True(interval.Contains(point), $"{interval} should contain {point}");
        Assert.True(interval.Low < point && point < interval.High, $"{interval} around {point}");
        Assert.InRange(interval.High - interval.Low, 0.05, 0.5);
    }

    [Fact]
    public void PerfectPredictionsHaveTheIntervalOneToOne()
    {
        var interval = SpeakerBootstrap.MacroF1([Predictions("energy", 1, EightSpeakers, (_, c, _) => c)]);

        Assert.Equal(1.0, interval.Low);
        Assert.Equal(1.0, interval.High);
    }

    [Fact]
    public void SpeakersAreResampledWithAllTheirUtterancesNotUtteranceByUtterance()
    {
        // Speaker a is always right, speaker b always wrong: pooled macro-F1 0.5. Resampling speakers draws
        // (a, a) → 1 and (b, b) → 0 a quarter of the time each, so the interval spans [0, 1].
        var run = Predictions("energy", 1, ["a", "b"], (s, c, _) => s == "a" ? c : (c + 1) % Classes.Length, perClass: 20);
        Assert.Equal(0.5, MacroF1(run), 12);

        var bySpeaker = SpeakerBootstrap.MacroF1([run]);
        // The same 120 predictions with every utterance as its own "speaker" is an utterance-level bootstrap.
        var byUtterance = SpeakerBootstrap.MacroF1([RunPredictions.Join("energy", 1, null, run.Predictions,
            run.Predictions.Predictions.ToDictionary(p => p.Id, p => p.Id))]);

        Assert.Equal(0.0, bySpeaker.Low);
        Assert.Equal(1.0, bySpeaker.High);
        Assert.True(byUtterance.Contains(0.5));
        Assert.True(byUtterance.High - byUtterance.Low < 0.3, $"utterance-level interval {byUtterance} should be narrow");
    }

    [Fact]
    public void SeedsTestedOnTheSameSpeakersShareEachResampleSoTheyDoNotNarrowTheInterval()
    {
        var one = Predictions("energy", 1, EightSpeakers, Uneven);
        var sameAgain = Predictions("energy", 2, EightSpeakers, Uneven);

        // Two seeds with identical predictions: every resample gives both the same value, so their mean is that
        // value and the interval is the one of a single seed. Independent draws per seed would narrow it by ~√2.
        Assert.Equal(SpeakerBootstrap.MacroF1([one]), SpeakerBootstrap.MacroF1([one, sameAgain]));
    }

    [Fact]
    public void EachFoldResamplesItsOwnTestSpeakers()
    {
        // Under k-fold each fold is tested on other speakers. Fold 1's are always right, fold 2's always wrong:
        // resampling within each fold keeps the mean over the two folds at (1 + 0) / 2 in every resample.
        var fold1 = Predictions("energy", 1, ["a", "b", "c"], (_, c, _) => c, fold: "1");
        var fold2 = Predictions("energy", 1, ["d", "e", "f"], (_, c, _) => (c + 1) % Classes.Length, fold: "2");

        var interval = SpeakerBootstrap.MacroF1([fold1, fold2]);

        Assert.Equal(0.5, interval.Low, 15);
        Assert.Equal(0.5, interval.High, 15);
    }

    [Fact]
    public void RunsWithDifferentLabelSetsOrNoResamplesAreRefused()
    {
        var run = Predictions("energy", 1, ["a", "b"], (_, c, _) => c);
        var otherClasses = RunPredictions.Join("energy", 2, null,
            PredictionSet.FromIndices(["x", "y"], ["u1"], [0], [1]), new Dictionary<string, string> { ["u1"] = "a" });

        Assert.Throws<ArgumentException>(() => SpeakerBootstrap.MacroF1([run, otherClasses]));
        Assert.Throws<ArgumentException>(() => SpeakerBootstrap.MacroF1([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpeakerBootstrap.MacroF1([run], resamples: 0));
        Assert.Contains("'u1' has no speaker", Assert.Throws<ArgumentException>(() => RunPredictions.Join("energy", 2, null,
            PredictionSet.FromIndices(["x", "y"], ["u1"], [0], [1]), new Dictionary<string, string>())).Message);
    }
}
