using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>
/// One pretext task's scores on held-out clips: the unweighted mean cross-entropy (nats) over the labelled entries,
/// accuracy, balanced accuracy (mean recall over the classes present) and the information gained over the label prior;
/// <see cref="WeightedCrossEntropy"/> is the class-weighted mean the task trains on (equal to the cross-entropy for an
/// unweighted task), which is what the best epoch is chosen by.
/// </summary>
public sealed record PretextTaskScores(long Labelled, double CrossEntropy, double WeightedCrossEntropy, double Accuracy, double BalancedAccuracy, double PriorEntropy)
{
    /// <summary>
    /// H(prior) − dev cross-entropy, in nats: how much better than always predicting the training label frequencies
    /// the model predicts the dev labels. ≤ 0 means nothing was learned from the input that carries over to new speakers.
    /// </summary>
    public double InformationGain => PriorEntropy - CrossEntropy;
}

/// <summary>Accumulates <see cref="PretextTaskScores"/> over evaluation batches.</summary>
/// <param name="classes">K.</param>
/// <param name="priorEntropy">Entropy of the task's training labels (nats).</param>
/// <param name="classWeights">The task's training class weights, or null when it trains unweighted.</param>
public sealed class PretextTaskScoring(int classes, double priorEntropy, IReadOnlyList<double>? classWeights = null)
{
    private readonly long[,] confusion = new long[classes, classes];
    private double crossEntropySum;
    private double weightedSum;
    private double weightSum;
    private long labelled;

    /// <summary>Adds a batch: <paramref name="logits"/> [..., K], <paramref name="labels"/> [...] with −1 for missing.</summary>
    public void Add(Tensor logits, Tensor labels)
    {
        logits = Native.TorchDevices.OnCpu(logits);
        labels = Native.TorchDevices.OnCpu(labels);
        using var scope = NewDisposeScope();
        var flatLogits = logits.reshape(-1, logits.shape[^1]);
        var flatLabels = labels.reshape(-1);
        var valid = flatLabels.ge(0).nonzero().squeeze(1);
        if (valid.shape[0] == 0)
        {
            return;
        }
        var chosenLogits = flatLogits.index_select(0, valid);
        var targets = flatLabels.index_select(0, valid);
        var perEntry = nn.functional.cross_entropy(chosenLogits, targets, reduction: nn.Reduction.None).data<float>().ToArray();
        var predicted = chosenLogits.argmax(1).data<long>().ToArray();
        var truth = targets.data<long>().ToArray();
        for (var i = 0; i < truth.Length; i++)
        {
            confusion[truth[i], predicted[i]]++;
            var weight = classWeights?[(int)truth[i]] ?? 1.0;
            crossEntropySum += perEntry[i];
            weightedSum += weight * perEntry[i];
            weightSum += weight;
        }
        labelled += truth.Length;
    }

    public PretextTaskScores Scores()
    {
        if (labelled == 0)
        {
            return new PretextTaskScores(0, double.NaN, double.NaN, double.NaN, double.NaN, priorEntropy);
        }
        var correct = 0L;
        var recalls = new List<double>();
        for (var k = 0; k < classes; k++)
        {
            correct += confusion[k, k];
            var row = 0L;
            for (var j = 0; j < classes; j++)
            {
                row += confusion[k, j];
            }
            if (row > 0)
            {
                recalls.Add((double)confusion[k, k] / row);
            }
        }
        return new PretextTaskScores(labelled, crossEntropySum / labelled, weightSum > 0 ? weightedSum / weightSum : double.NaN,
            (double)correct / labelled, recalls.Average(), priorEntropy);
    }
}
