using System.Globalization;
using SerNotebooks.Data;

namespace SerNotebooks.Training;

/// <summary>
/// The labelled fraction of a fine-tuning run's training clips (label-efficiency curves): per emotion, a seeded
/// permutation of that emotion's training clips (in id order) of which the first ⌈f · n_e⌉ are kept. Because the
/// permutation depends only on the seed, the emotion and the clips — never on the fraction or the configuration —
/// the subsets are nested (0.1 ⊂ 0.25 ⊂ 0.5 ⊂ 1) and every configuration trained with the same seed on the same
/// split gets the same clips; each emotion keeps its share and at least one clip. Dev and test clips are never
/// subsetted, and neither is pre-training (it has no emotion labels to save).
/// </summary>
public static class LabelFractionSubset
{
    /// <summary>Throws unless <paramref name="fraction"/> is in (0, 1].</summary>
    public static void RequireValid(double fraction)
    {
        if (!(fraction > 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"a label fraction must be in (0, 1], got {fraction.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>How many of <paramref name="count"/> clips of one emotion are kept: ⌈f · n⌉, at least one when n ≥ 1.</summary>
    public static int KeptCount(int count, double fraction)
    {
        RequireValid(fraction);
        // The tolerance keeps 0.1 · 30 (= 3.0000000000000004 in binary) at 3 rather than 4.
        var kept = (int)Math.Ceiling(fraction * count - 1e-9);
        return count == 0 ? 0 : Math.Clamp(kept, 1, count);
    }

    /// <summary>
    /// The ids of the kept clips among <paramref name="trainingClips"/> (id, emotion), drawn with <paramref name="seed"/>.
    /// Clips without an emotion form their own group.
    /// </summary>
    public static IReadOnlySet<string> Select(IEnumerable<(string Id, string? Emotion)> trainingClips, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(trainingClips);
        RequireValid(fraction);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in trainingClips.GroupBy(c => c.Emotion ?? "", StringComparer.Ordinal))
        {
            var ids = group.Select(c => c.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var order = TrainingRun.Shuffle(Enumerable.Range(0, ids.Length).ToArray(), EmotionSeed(seed, group.Key));
            kept.UnionWith(order.Take(KeptCount(ids.Length, fraction)).Select(i => ids[i]));
        }
        return kept;
    }

    /// <summary>
    /// The hook of <see cref="TrainingRun.SelectClips"/>: <paramref name="clips"/> without the training clips outside the
    /// subset of <see cref="TrainingConfig.LabelFraction"/> (drawn with <see cref="TrainingConfig.Seed"/>); unchanged when
    /// the fraction is unset or 1, or for pre-training.
    /// </summary>
    internal static IReadOnlyList<(Manifest Manifest, ManifestEntry Entry, string Split)> Apply(
        TrainingConfig config, IReadOnlyList<(Manifest Manifest, ManifestEntry Entry, string Split)> clips)
    {
        if (config.Kind != RunKind.Finetune || config.LabelFraction is not { } fraction || fraction >= 1)
        {
            return clips;
        }
        var training = clips.Where(c => c.Split == TrainingRun.TrainRole).Select(c => (c.Entry.Id, c.Entry.Emotion));
        var kept = Select(training, fraction, config.Seed);
        return clips.Where(c => c.Split != TrainingRun.TrainRole || kept.Contains(c.Entry.Id)).ToList();
    }

    // A stable (FNV-1a) hash of the emotion name: string.GetHashCode differs between processes.
    private static long EmotionSeed(int seed, string emotion)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in emotion)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return TrainingRun.EpochSeed(seed, (int)(hash & 0x7FFFFFFF));
    }
}
