namespace SerNotebooks.Training;

/// <summary>
/// Which epoch is best so far and whether to stop: an epoch is better when its score (higher is better) beats the
/// best one; after <c>patience</c> epochs without that, the run stops early (0 = never, and never when the score is
/// not measured on held-out clips). Restored from a checkpoint, it continues as if never interrupted.
/// </summary>
public sealed class BestEpochTracker(int patience, bool canStopEarly, CheckpointState? state = null)
{
    public int BestEpoch { get; private set; } = state?.BestEpoch ?? 0;

    public double BestScore { get; private set; } = state?.BestScore ?? double.NegativeInfinity;

    public int EpochsWithoutImprovement { get; private set; } = state?.EpochsWithoutImprovement ?? 0;

    public bool StoppedEarly { get; private set; } = state?.StoppedEarly ?? false;

    /// <summary>Records <paramref name="epoch"/>'s score; true when it is the new best (its model is to be kept).</summary>
    public bool Record(int epoch, double score, int maxEpochs)
    {
        // The first epoch is always "best" so a run whose score is NaN still has a model to finish with.
        var improved = score > BestScore || BestEpoch == 0;
        if (improved)
        {
            BestScore = score;
            BestEpoch = epoch;
            EpochsWithoutImprovement = 0;
        }
        else
        {
            EpochsWithoutImprovement++;
        }
        StoppedEarly = canStopEarly && patience > 0 && EpochsWithoutImprovement >= patience && epoch < maxEpochs;
        return improved;
    }
}
