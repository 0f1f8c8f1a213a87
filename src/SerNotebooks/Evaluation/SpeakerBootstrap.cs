using SerNotebooks.Demo;
using SerNotebooks.Evaluation.Statistics;

namespace SerNotebooks.Evaluation;

/// <summary>A bootstrap percentile interval: <see cref="Low"/>–<see cref="High"/> at <see cref="Level"/> (0.95 for 95 %) from <see cref="Resamples"/> resamples.</summary>
public sealed record BootstrapInterval(double Low, double High, double Level, int Resamples)
{
    public bool Contains(double value) => value >= Low && value <= High;

    /// <summary>"0.512–0.601", invariant culture.</summary>
    public string Format(string numberFormat = "0.000") =>
        $"{Low.ToString(numberFormat, System.Globalization.CultureInfo.InvariantCulture)}–{High.ToString(numberFormat, System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>
/// Confidence interval of a configuration's mean macro-F1 over its runs by a <b>cluster bootstrap over test
/// speakers</b>: utterances of one speaker are not independent (same voice, same recording), so the speaker, not
/// the utterance, is resampled, with all of its test utterances. In each resample:
/// <list type="number">
/// <item>every distinct test-speaker set (one per fold under k-fold; one under the test split) draws as many
/// speakers as it has, with replacement — one draw shared by all runs tested on that set, because seeds do not
/// make the speakers any less the same;</item>
/// <item>each run's macro-F1 is recomputed (<see cref="ClassificationReport"/>, scikit-learn's definitions) on the
/// test utterances of its drawn speakers, a speaker drawn twice counting twice;</item>
/// <item>the runs' macro-F1 values are averaged, as the configuration's point estimate averages them.</item>
/// </list>
/// The interval is the percentile interval of the resampled means (<see cref="Quantile"/>, linear interpolation).
/// The generator (xoshiro256**, <see cref="DemoRandom"/>) has a fixed seed and speakers are drawn from their
/// ordinally sorted list, so the same predictions give the same interval to the last digit, whatever the row order.
/// </summary>
public static class SpeakerBootstrap
{
    /// <summary>
    /// 2,000 resamples: a percentile interval is read in the tails, and with 2,000 the 2.5 % tail still holds 50
    /// resamples (at least 1,000 is the usual advice for percentile intervals); measured, the endpoints then vary by
    /// under 2 % of the interval's width from one generator seed to another, for about a second per configuration.
    /// </summary>
    public const int DefaultResamples = 2000;

    public const double DefaultLevel = 0.95;

    /// <summary>Fixed (nothing time-dependent): re-running on the same predictions reproduces the interval exactly.</summary>
    public const ulong DefaultSeed = 20220918;

    /// <summary>The interval of the mean macro-F1 of <paramref name="runs"/> (one configuration's runs).</summary>
    public static BootstrapInterval MacroF1(IReadOnlyList<RunPredictions> runs, int resamples = DefaultResamples, double level = DefaultLevel, ulong seed = DefaultSeed)
    {
        if (double.IsNaN(level) || level is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "the confidence level must be between 0 and 1.");
        }
        var replicates = MacroF1Replicates(runs, resamples, seed);
        Array.Sort(replicates);
        var tail = (1 - level) / 2;
        return new BootstrapInterval(Quantile.OfSorted(replicates, tail), Quantile.OfSorted(replicates, 1 - tail), level, resamples);
    }

    /// <summary>The resampled mean macro-F1 values, in the order drawn (what <see cref="MacroF1"/> takes the percentiles of).</summary>
    public static double[] MacroF1Replicates(IReadOnlyList<RunPredictions> runs, int resamples = DefaultResamples, ulong seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (runs.Count == 0)
        {
            throw new ArgumentException("No runs to resample.", nameof(runs));
        }
        var classNames = runs[0].Predictions.ClassNames;
        if (runs.Any(r => !r.Predictions.ClassNames.SequenceEqual(classNames, StringComparer.Ordinal)))
        {
            throw new ArgumentException("The runs' predictions have different label sets.", nameof(runs));
        }
        var perRun = runs.Select(r => SpeakerCounts.Of(r, classNames.Count)).ToArray();
        // Runs tested on the same speakers share each resample's draw; sets in a fixed order fix the draw sequence.
        var sets = Enumerable.Range(0, runs.Count)
            .GroupBy(i => string.Join('\u001f', perRun[i].Speakers), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.ToArray())
            .ToArray();
        // Averaged in (seed, fold) order, so the sum's rounding does not depend on the order the runs came in.
        var averagingOrder = Enumerable.Range(0, runs.Count)
            .OrderBy(i => runs[i].Seed).ThenBy(i => runs[i].Fold ?? "", StringComparer.Ordinal).ThenBy(i => i)
            .ToArray();
        var random = new DemoRandom(seed);
        var macroF1 = new double[runs.Count];
        var replicates = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            foreach (var set in sets)
            {
                var speakerCount = perRun[set[0]].Speakers.Length;
                var timesDrawn = new int[speakerCount];
                for (var draw = 0; draw < speakerCount; draw++)
                {
                    timesDrawn[random.NextInt(speakerCount)]++;
                }
                foreach (var run in set)
                {
                    macroF1[run] = ClassificationReport.FromConfusion(perRun[run].Resampled(classNames, timesDrawn)).Macro.F1;
                }
            }
            var sum = 0.0;
            foreach (var run in averagingOrder)
            {
                sum += macroF1[run];
            }
            replicates[b] = sum / runs.Count;
        }
        return replicates;
    }

    /// <summary>A run's confusion counts per test speaker (flat, row-major K × K), speakers sorted ordinally.</summary>
    private sealed class SpeakerCounts(string[] speakers, long[][] counts)
    {
        public string[] Speakers { get; } = speakers;

        public static SpeakerCounts Of(RunPredictions run, int classCount)
        {
            var speakers = run.Speakers.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var index = speakers.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i, StringComparer.Ordinal);
            var counts = speakers.Select(_ => new long[classCount * classCount]).ToArray();
            var truth = run.Predictions.TrueLabelIndices();
            var predicted = run.Predictions.PredictedLabelIndices();
            for (var row = 0; row < truth.Length; row++)
            {
                counts[index[run.Speakers[row]]][truth[row] * classCount + predicted[row]]++;
            }
            return new SpeakerCounts(speakers, counts);
        }

        /// <summary>The confusion matrix of the drawn speakers' utterances, each speaker counted as often as drawn.</summary>
        public ConfusionMatrix Resampled(IReadOnlyList<string> classNames, int[] timesDrawn)
        {
            var k = classNames.Count;
            var sum = new long[k * k];
            for (var s = 0; s < timesDrawn.Length; s++)
            {
                var times = timesDrawn[s];
                if (times == 0)
                {
                    continue;
                }
                var own = counts[s];
                for (var cell = 0; cell < sum.Length; cell++)
                {
                    sum[cell] += times * own[cell];
                }
            }
            var matrix = new long[k, k];
            for (var cell = 0; cell < sum.Length; cell++)
            {
                matrix[cell / k, cell % k] = sum[cell];
            }
            return ConfusionMatrix.FromCounts(classNames, matrix);
        }
    }
}
