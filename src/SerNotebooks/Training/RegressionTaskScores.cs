using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>
/// One regression task's scores on held-out clips: the mean squared error over the entries with a target (the
/// targets are standardised on the training clips, so predicting the training mean scores about 1) and R², the share
/// of the held-out targets' variance the predictions explain: 1 − Σ(y − ŷ)² / Σ(y − ȳ)², with ȳ the held-out mean.
/// R² ≤ 0 means the predictions are no better than that mean. (The classification tasks' information gain over the
/// prior has no regression counterpart here; R² plays its role.)
/// </summary>
public sealed record RegressionTaskScores(long Labelled, double MeanSquaredError, double RSquared);

/// <summary>Accumulates <see cref="RegressionTaskScores"/> over evaluation batches.</summary>
public sealed class RegressionTaskScoring
{
    private double squaredErrorSum;
    private double targetSum;
    private double targetSquareSum;
    private long labelled;

    /// <summary>Adds a batch: <paramref name="predictions"/> and <paramref name="targets"/> of one shape, NaN targets missing.</summary>
    public void Add(Tensor predictions, Tensor targets)
    {
        predictions = Native.TorchDevices.OnCpu(predictions);
        targets = Native.TorchDevices.OnCpu(targets);
        using var scope = NewDisposeScope();
        var flatTargets = targets.reshape(-1);
        var valid = flatTargets.isfinite().nonzero().squeeze(1);
        var y = flatTargets.index_select(0, valid).to(ScalarType.Float64).data<double>().ToArray();
        var predicted = predictions.reshape(-1).index_select(0, valid).to(ScalarType.Float64).data<double>().ToArray();
        for (var i = 0; i < y.Length; i++)
        {
            squaredErrorSum += (y[i] - predicted[i]) * (y[i] - predicted[i]);
            targetSum += y[i];
            targetSquareSum += y[i] * y[i];
        }
        labelled += y.Length;
    }

    public RegressionTaskScores Scores()
    {
        if (labelled == 0)
        {
            return new RegressionTaskScores(0, double.NaN, double.NaN);
        }
        var totalSquares = targetSquareSum - targetSum * targetSum / labelled;
        return new RegressionTaskScores(labelled, squaredErrorSum / labelled, totalSquares > 0 ? 1 - squaredErrorSum / totalSquares : double.NaN);
    }
}
