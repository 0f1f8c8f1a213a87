namespace SerNotebooks.Training;

/// <summary>
/// The pretext dev set of a pre-training run: a share of the unlabelled corpus's speakers, held out whole so that
/// no speaker is both trained on and used to pick the best epoch. Speakers, not clips, are dealt because clips of
/// one speaker share a voice: a clip-level split would reward memorising speakers.
/// </summary>
public static class PretextDevSpeakers
{
    /// <summary>
    /// The seed of the deal. Fixed (not the run's seed) so every seed and task combination of an ablation holds out
    /// the same speakers, and the pretext labels, whose thresholds are fitted on the training speakers, are shared.
    /// </summary>
    public const long DealSeed = 20220918;

    /// <summary>
    /// round(<paramref name="share"/> × speakers) of <paramref name="speakers"/> (at least 1 and at most all but one
    /// when the share is positive and there are two or more): the speakers sorted by ordinal id, shuffled with
    /// <see cref="DealSeed"/>, first ones taken. The result depends only on the set of ids and the share.
    /// </summary>
    public static IReadOnlySet<string> Select(IEnumerable<string> speakers, double share)
    {
        ArgumentNullException.ThrowIfNull(speakers);
        var sorted = speakers.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (share <= 0 || sorted.Length < 2)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
        var count = Math.Clamp((int)Math.Round(share * sorted.Length, MidpointRounding.AwayFromZero), 1, sorted.Length - 1);
        var order = TrainingRun.Shuffle(Enumerable.Range(0, sorted.Length).ToArray(), DealSeed);
        return order.Take(count).Select(i => sorted[i]).ToHashSet(StringComparer.Ordinal);
    }
}
