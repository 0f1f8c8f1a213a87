namespace SerNotebooks.Training;

/// <summary>
/// Accuracy and macro precision/recall/F1 for model selection during training, with scikit-learn's
/// conventions (a class never predicted has precision 0; a class absent from the truth and never predicted
/// is left out of the macro average only if it appears in neither, as sklearn does with the labels present).
/// The full metrics module with reports lives in SerNotebooks.Evaluation.
/// </summary>
public sealed record ClassificationScores(double Accuracy, double MacroPrecision, double MacroRecall, double MacroF1)
{
    public static ClassificationScores Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classes)
    {
        if (truth.Count != predicted.Count)
        {
            throw new ArgumentException($"{truth.Count} true labels but {predicted.Count} predictions");
        }
        if (truth.Count == 0)
        {
            return new ClassificationScores(0, 0, 0, 0);
        }
        var tp = new int[classes];
        var predictedCount = new int[classes];
        var trueCount = new int[classes];
        var correct = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            trueCount[truth[i]]++;
            predictedCount[predicted[i]]++;
            if (truth[i] == predicted[i])
            {
                tp[truth[i]]++;
                correct++;
            }
        }
        double precision = 0, recall = 0, f1 = 0;
        var present = 0;
        for (var c = 0; c < classes; c++)
        {
            if (trueCount[c] == 0 && predictedCount[c] == 0)
            {
                continue;
            }
            present++;
            var p = predictedCount[c] == 0 ? 0 : tp[c] / (double)predictedCount[c];
            var r = trueCount[c] == 0 ? 0 : tp[c] / (double)trueCount[c];
            precision += p;
            recall += r;
            f1 += p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
        return new ClassificationScores(correct / (double)truth.Count, precision / present, recall / present, f1 / present);
    }
}
