namespace SerNotebooks.Evaluation;

/// <summary>
/// One class's scores with scikit-learn's <c>zero_division=0</c> convention: precision is 0 when the class is
/// never predicted (<see cref="PrecisionUndefined"/>), recall is 0 when the class is absent from the truth
/// (<see cref="RecallUndefined"/>), F1 is 0 when precision + recall is 0.
/// </summary>
public sealed record ClassScores(
    string ClassName,
    double Precision,
    double Recall,
    double F1,
    long Support,
    long PredictedCount,
    long TruePositives)
{
    /// <summary>True when the class was never predicted: precision is 0/0, reported as 0.</summary>
    public bool PrecisionUndefined => PredictedCount == 0;

    /// <summary>True when the class never occurs in the truth: recall is 0/0, reported as 0.</summary>
    public bool RecallUndefined => Support == 0;
}

/// <summary>Precision, recall and F1 averaged over classes in one way (macro, micro or weighted).</summary>
public sealed record AveragedScores(double Precision, double Recall, double F1);
