namespace SerNotebooks.Evaluation;

/// <summary>
/// Classification metrics over an explicit, ordered label set, defined exactly as scikit-learn's
/// <c>precision_recall_fscore_support(y_true, y_pred, labels=range(K), zero_division=0)</c>:
/// <list type="bullet">
/// <item>per class: precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2PR/(P+R); a 0/0 is reported as 0;</item>
/// <item>macro: the unweighted mean over all K classes of the label set, including a class that was never
/// predicted (precision 0, listed in <see cref="UndefinedPrecisionClasses"/>) and a class absent from the truth
/// (recall 0, listed in <see cref="UndefinedRecallClasses"/>); macro F1 is the mean of per-class F1, not the F1
/// of macro P and R;</item>
/// <item>weighted: per-class scores weighted by support; micro: from pooled TP/FP/FN (equals accuracy, since
/// every utterance carries exactly one label of the set).</item>
/// </list>
/// </summary>
public sealed class ClassificationReport
{
    private ClassificationReport(ConfusionMatrix confusion, IReadOnlyList<ClassScores> perClass)
    {
        Confusion = confusion;
        PerClass = perClass;
        var k = perClass.Count;
        Macro = new AveragedScores(
            perClass.Sum(c => c.Precision) / k,
            perClass.Sum(c => c.Recall) / k,
            perClass.Sum(c => c.F1) / k);
        var totalSupport = perClass.Sum(c => c.Support);
        Weighted = totalSupport == 0
            ? new AveragedScores(0, 0, 0)
            : new AveragedScores(
                perClass.Sum(c => c.Precision * c.Support) / totalSupport,
                perClass.Sum(c => c.Recall * c.Support) / totalSupport,
                perClass.Sum(c => c.F1 * c.Support) / totalSupport);
        var tp = perClass.Sum(c => c.TruePositives);
        var predicted = perClass.Sum(c => c.PredictedCount);
        var microPrecision = Ratio(tp, predicted);
        var microRecall = Ratio(tp, totalSupport);
        Micro = new AveragedScores(microPrecision, microRecall, F1(microPrecision, microRecall));
        Accuracy = Ratio(confusion.Correct, confusion.Total);
        UndefinedPrecisionClasses = perClass.Where(c => c.PrecisionUndefined).Select(c => c.ClassName).ToArray();
        UndefinedRecallClasses = perClass.Where(c => c.RecallUndefined).Select(c => c.ClassName).ToArray();
    }

    public ConfusionMatrix Confusion { get; }

    public IReadOnlyList<string> ClassNames => Confusion.ClassNames;

    /// <summary>Scores per class, in label-set order.</summary>
    public IReadOnlyList<ClassScores> PerClass { get; }

    public AveragedScores Macro { get; }

    public AveragedScores Micro { get; }

    public AveragedScores Weighted { get; }

    /// <summary>Fraction of utterances whose predicted class equals the true class.</summary>
    public double Accuracy { get; }

    /// <summary>Number of utterances evaluated.</summary>
    public long Count => Confusion.Total;

    /// <summary>Classes never predicted: their precision is 0/0 and counts as 0 in the macro average (sklearn
    /// warns "Precision is ill-defined"; this list is how the report says so).</summary>
    public IReadOnlyList<string> UndefinedPrecisionClasses { get; }

    /// <summary>Classes absent from the truth: their recall is 0/0 and counts as 0 in the macro average.</summary>
    public IReadOnlyList<string> UndefinedRecallClasses { get; }

    public ClassScores this[string className] =>
        PerClass.FirstOrDefault(c => c.ClassName == className)
        ?? throw new KeyNotFoundException($"'{className}' is not in the label set ({string.Join(", ", ClassNames)}).");

    /// <summary>Computes the report from label indices into <paramref name="classNames"/>.</summary>
    public static ClassificationReport Compute(IReadOnlyList<int> trueLabels, IReadOnlyList<int> predictedLabels, IReadOnlyList<string> classNames)
    {
        var confusion = ConfusionMatrix.Build(trueLabels, predictedLabels, classNames);
        if (confusion.Total == 0)
        {
            throw new ArgumentException("No utterances to evaluate.", nameof(trueLabels));
        }
        return FromConfusion(confusion);
    }

    /// <summary>Computes the report from a confusion matrix.</summary>
    public static ClassificationReport FromConfusion(ConfusionMatrix confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var perClass = new ClassScores[confusion.ClassCount];
        for (var c = 0; c < confusion.ClassCount; c++)
        {
            var tp = confusion[c, c];
            var support = confusion.Support(c);
            var predicted = confusion.PredictedCount(c);
            var precision = Ratio(tp, predicted);
            var recall = Ratio(tp, support);
            perClass[c] = new ClassScores(confusion.ClassNames[c], precision, recall, F1(precision, recall), support, predicted, tp);
        }
        return new ClassificationReport(confusion, perClass);
    }

    /// <summary>Computes the report from a predictions file's rows.</summary>
    public static ClassificationReport FromPredictions(PredictionSet predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        return Compute(predictions.TrueLabelIndices(), predictions.PredictedLabelIndices(), predictions.ClassNames);
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0.0 : (double)numerator / denominator;

    // sklearn computes F from P and R with a zero denominator replaced by 0 (zero_division=0).
    private static double F1(double precision, double recall) =>
        precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
}
