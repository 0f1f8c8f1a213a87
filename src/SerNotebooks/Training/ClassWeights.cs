namespace SerNotebooks.Training;

/// <summary>
/// How often each class of a task occurs among its labels (entries labelled −1 are not counted), and what follows
/// from it: the label prior's entropy and the class weights of <see cref="Training.ClassWeighting.Auto"/>.
/// </summary>
public sealed class ClassFrequencies
{
    public ClassFrequencies(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0 || counts.Any(c => c < 0))
        {
            throw new ArgumentException("one non-negative count per class is needed", nameof(counts));
        }
        Counts = counts.ToArray();
        Total = Counts.Sum();
    }

    public IReadOnlyList<long> Counts { get; }

    public long Total { get; }

    /// <summary>The share of the most frequent class (0 without labels).</summary>
    public double MajorityShare => Total == 0 ? 0 : (double)Counts.Max() / Total;

    /// <summary>
    /// H(prior) = −Σ p_k ln p_k in nats: the dev cross-entropy of a model that always predicts the training label
    /// frequencies (when the dev labels follow them). A model has learned something from the input only below it.
    /// </summary>
    public double PriorEntropy => Total == 0
        ? double.NaN
        : -Counts.Where(c => c > 0).Select(c => (double)c / Total).Sum(p => p * Math.Log(p));

    /// <summary>Counts of the labels (≥ 0) in <paramref name="labels"/> over <paramref name="classes"/> classes.</summary>
    public static ClassFrequencies Count(IEnumerable<long> labels, int classes)
    {
        var counts = new long[classes];
        foreach (var label in labels)
        {
            if (label >= 0)
            {
                counts[label]++;
            }
        }
        return new ClassFrequencies(counts);
    }
}

/// <summary>
/// Class weights for the cross-entropy of an imbalanced task. A task is weighted when its majority class holds more
/// than <see cref="ImbalanceThreshold"/> of its training labels. The weights are 1/√p_k normalised to mean 1 over the
/// classes that occur (a class absent from training gets 0; it has no target to weigh). Square-root inverse frequency
/// rather than inverse frequency: with AU-emotion's 65 % neutral and classes of a few percent, inverse frequency gives
/// a rare class 20–30× the weight of neutral, so a batch of 32 that happens to hold one such utterance is dominated
/// by it and the loss becomes noisy; √ halves the ratio on a log scale and still stops the prior from winning.
/// </summary>
public static class ClassWeights
{
    public const double ImbalanceThreshold = 0.5;

    /// <summary>The weights for <paramref name="frequencies"/>, or null when the task is not weighted.</summary>
    public static double[]? For(ClassFrequencies frequencies, ClassWeighting mode)
    {
        ArgumentNullException.ThrowIfNull(frequencies);
        if (mode == ClassWeighting.Off || frequencies.Total == 0 || !(frequencies.MajorityShare > ImbalanceThreshold))
        {
            return null;
        }
        return NormalisedToMeanOne(frequencies.Counts.Select(c => c == 0 ? 0 : 1 / Math.Sqrt((double)c / frequencies.Total)));
    }

    /// <summary>
    /// 1/p_k normalised to mean 1 over the classes that occur (0 for a class that does not): every class then carries
    /// the same total weight in the loss, as if each were sampled equally often. The clustering task's weights, which
    /// stand in for DeepEmoCluster's uniform sampling per cluster.
    /// </summary>
    /// <exception cref="ArgumentException">No class occurs.</exception>
    public static double[] InverseFrequency(ClassFrequencies frequencies)
    {
        ArgumentNullException.ThrowIfNull(frequencies);
        if (frequencies.Total == 0)
        {
            throw new ArgumentException("inverse-frequency weights need at least one label", nameof(frequencies));
        }
        return NormalisedToMeanOne(frequencies.Counts.Select(c => c == 0 ? 0 : 1 / ((double)c / frequencies.Total)));
    }

    private static double[] NormalisedToMeanOne(IEnumerable<double> raw)
    {
        var weights = raw.ToArray();
        var mean = weights.Where(w => w > 0).Average();
        return weights.Select(w => w / mean).ToArray();
    }
}
