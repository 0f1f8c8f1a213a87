namespace SerNotebooks.Evaluation;

/// <summary>
/// Counts of (true class, predicted class) pairs over an explicit, ordered label set: rows are true classes,
/// columns predicted classes, as scikit-learn's <c>confusion_matrix(y_true, y_pred, labels=...)</c>.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    private ConfusionMatrix(IReadOnlyList<string> classNames, long[,] counts)
    {
        ClassNames = classNames;
        _counts = counts;
    }

    public IReadOnlyList<string> ClassNames { get; }

    public int ClassCount => ClassNames.Count;

    /// <summary>Number of utterances whose true class is <paramref name="trueClass"/> and predicted class
    /// <paramref name="predictedClass"/> (label indices).</summary>
    public long this[int trueClass, int predictedClass] => _counts[trueClass, predictedClass];

    public long Total { get; private init; }

    /// <summary>Builds the matrix; every index must be in <c>[0, classNames.Count)</c>.</summary>
    public static ConfusionMatrix Build(IReadOnlyList<int> trueLabels, IReadOnlyList<int> predictedLabels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(trueLabels);
        ArgumentNullException.ThrowIfNull(predictedLabels);
        ValidateClassNames(classNames);
        if (trueLabels.Count != predictedLabels.Count)
        {
            throw new ArgumentException(
                $"{trueLabels.Count} true labels but {predictedLabels.Count} predicted labels: they must pair up one to one.",
                nameof(predictedLabels));
        }
        var k = classNames.Count;
        var counts = new long[k, k];
        for (var i = 0; i < trueLabels.Count; i++)
        {
            var t = trueLabels[i];
            var p = predictedLabels[i];
            if ((uint)t >= (uint)k)
            {
                throw new ArgumentOutOfRangeException(nameof(trueLabels), $"true label #{i} is {t}: outside the {k} classes (0..{k - 1}).");
            }
            if ((uint)p >= (uint)k)
            {
                throw new ArgumentOutOfRangeException(nameof(predictedLabels), $"predicted label #{i} is {p}: outside the {k} classes (0..{k - 1}).");
            }
            counts[t, p]++;
        }
        return new ConfusionMatrix(classNames.ToArray(), counts) { Total = trueLabels.Count };
    }

    /// <summary>
    /// A matrix from counts already tallied (rows = true classes, columns = predicted classes), e.g. the sum of
    /// several speakers' matrices in a bootstrap sample; the counts are copied.
    /// </summary>
    public static ConfusionMatrix FromCounts(IReadOnlyList<string> classNames, long[,] counts)
    {
        ValidateClassNames(classNames);
        ArgumentNullException.ThrowIfNull(counts);
        var k = classNames.Count;
        if (counts.GetLength(0) != k || counts.GetLength(1) != k)
        {
            throw new ArgumentException($"The counts are {counts.GetLength(0)} × {counts.GetLength(1)} for {k} classes.", nameof(counts));
        }
        long total = 0;
        foreach (var count in counts)
        {
            if (count < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(counts), count, "a count cannot be negative.");
            }
            total += count;
        }
        return new ConfusionMatrix(classNames.ToArray(), (long[,])counts.Clone()) { Total = total };
    }

    /// <summary>Utterances of class <paramref name="classIndex"/> in the truth (the row sum): sklearn's support.</summary>
    public long Support(int classIndex) => Enumerable.Range(0, ClassCount).Sum(j => _counts[classIndex, j]);

    /// <summary>Utterances predicted as <paramref name="classIndex"/> (the column sum).</summary>
    public long PredictedCount(int classIndex) => Enumerable.Range(0, ClassCount).Sum(i => _counts[i, classIndex]);

    public long Correct => Enumerable.Range(0, ClassCount).Sum(i => _counts[i, i]);

    /// <summary>The counts as a jagged array (rows = true classes), e.g. for charts.</summary>
    public long[][] ToRows() =>
        Enumerable.Range(0, ClassCount).Select(i => Enumerable.Range(0, ClassCount).Select(j => _counts[i, j]).ToArray()).ToArray();

    /// <summary>
    /// Each row divided by its sum (the share of a true class predicted as each class; the diagonal is the
    /// per-class recall). A class absent from the truth has an all-zero row rather than 0/0.
    /// </summary>
    public double[][] ToRowNormalised() =>
        Enumerable.Range(0, ClassCount).Select(i =>
        {
            var support = Support(i);
            return Enumerable.Range(0, ClassCount).Select(j => support == 0 ? 0.0 : (double)_counts[i, j] / support).ToArray();
        }).ToArray();

    internal static void ValidateClassNames(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count == 0)
        {
            throw new ArgumentException("The label set is empty: give the class names explicitly.", nameof(classNames));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in classNames)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A class name is empty.", nameof(classNames));
            }
            if (!seen.Add(name))
            {
                throw new ArgumentException($"Class name '{name}' appears twice in the label set.", nameof(classNames));
            }
        }
    }
}
