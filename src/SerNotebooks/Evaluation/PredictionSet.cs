namespace SerNotebooks.Evaluation;

/// <summary>One utterance's prediction: its id, true and predicted class names, and the class probabilities
/// (in the set's class order; empty when the writer had none).</summary>
public sealed record UtterancePrediction(string Id, string TrueLabel, string PredictedLabel, IReadOnlyList<double> Probabilities)
{
    /// <summary>
    /// Other references than <see cref="TrueLabel"/> (the intended emotion), by column name (<c>perceived_voice</c>,
    /// <c>perceived_av</c>): the class name, or empty when the utterance has none (no votes, or raters tied).
    /// </summary>
    public IReadOnlyDictionary<string, string> References { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Per-utterance predictions over an ordered label set — the content of a predictions file
/// (<see cref="PredictionsFile"/>). Every label is a member of <see cref="ClassNames"/>; ids are unique.
/// </summary>
public sealed class PredictionSet
{
    private readonly Dictionary<string, int> _classIndex;

    public PredictionSet(IReadOnlyList<string> classNames, IEnumerable<UtterancePrediction> predictions)
    {
        ConfusionMatrix.ValidateClassNames(classNames);
        ArgumentNullException.ThrowIfNull(predictions);
        ClassNames = classNames.ToArray();
        _classIndex = ClassNames.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        var rows = predictions.ToArray();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (string.IsNullOrEmpty(row.Id))
            {
                throw new ArgumentException("A prediction has an empty id.", nameof(predictions));
            }
            if (!ids.Add(row.Id))
            {
                throw new ArgumentException($"Duplicate utterance id '{row.Id}'.", nameof(predictions));
            }
            foreach (var label in new[] { row.TrueLabel, row.PredictedLabel })
            {
                if (!_classIndex.ContainsKey(label))
                {
                    throw new ArgumentException($"Utterance '{row.Id}': label '{label}' is not in the label set ({string.Join(", ", ClassNames)}).", nameof(predictions));
                }
            }
            if (row.References.FirstOrDefault(r => r.Value.Length > 0 && !_classIndex.ContainsKey(r.Value)) is { Key: not null } bad)
            {
                throw new ArgumentException($"Utterance '{row.Id}': {bad.Key} '{bad.Value}' is not in the label set ({string.Join(", ", ClassNames)}).", nameof(predictions));
            }
            if (row.Probabilities.Count != 0 && row.Probabilities.Count != ClassNames.Count)
            {
                throw new ArgumentException($"Utterance '{row.Id}': {row.Probabilities.Count} probabilities for {ClassNames.Count} classes.", nameof(predictions));
            }
        }
        Predictions = rows;
        ReferenceNames = rows.SelectMany(r => r.References.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        HasProbabilities = rows.Length > 0 && rows.All(r => r.Probabilities.Count == ClassNames.Count);
    }

    /// <summary>Build from label indices (what a trained model produces) and optional probability rows.</summary>
    public static PredictionSet FromIndices(
        IReadOnlyList<string> classNames,
        IReadOnlyList<string> ids,
        IReadOnlyList<int> trueLabels,
        IReadOnlyList<int> predictedLabels,
        IReadOnlyList<IReadOnlyList<double>>? probabilities = null)
    {
        ConfusionMatrix.ValidateClassNames(classNames);
        if (ids.Count != trueLabels.Count || ids.Count != predictedLabels.Count || (probabilities is not null && probabilities.Count != ids.Count))
        {
            throw new ArgumentException("ids, true labels, predicted labels (and probabilities) must have the same length.");
        }
        string Name(int index, string what) => (uint)index < (uint)classNames.Count
            ? classNames[index]
            : throw new ArgumentOutOfRangeException(what, $"label index {index} is outside the {classNames.Count} classes.");
        return new PredictionSet(classNames, ids.Select((id, i) => new UtterancePrediction(
            id,
            Name(trueLabels[i], nameof(trueLabels)),
            Name(predictedLabels[i], nameof(predictedLabels)),
            probabilities?[i] ?? Array.Empty<double>())));
    }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The other references the rows carry (<see cref="UtterancePrediction.References"/>), sorted.</summary>
    public IReadOnlyList<string> ReferenceNames { get; }

    /// <summary>
    /// The same predictions scored against <paramref name="reference"/> instead of the intended label: its value becomes
    /// the true label, and utterances without one (no votes, or a tie) are left out.
    /// </summary>
    public PredictionSet Against(string reference)
    {
        if (!ReferenceNames.Contains(reference, StringComparer.Ordinal))
        {
            throw new ArgumentException($"No reference '{reference}' (has: {string.Join(", ", ReferenceNames)}).", nameof(reference));
        }
        return new PredictionSet(ClassNames, Predictions
            .Where(p => p.References.TryGetValue(reference, out var label) && label.Length > 0)
            .Select(p => new UtterancePrediction(p.Id, p.References[reference], p.PredictedLabel, p.Probabilities)));
    }

    public IReadOnlyList<UtterancePrediction> Predictions { get; }

    /// <summary>True when every row carries one probability per class.</summary>
    public bool HasProbabilities { get; }

    public int Count => Predictions.Count;

    public int ClassIndex(string className) =>
        _classIndex.TryGetValue(className, out var index)
            ? index
            : throw new KeyNotFoundException($"'{className}' is not in the label set ({string.Join(", ", ClassNames)}).");

    public int[] TrueLabelIndices() => Predictions.Select(p => _classIndex[p.TrueLabel]).ToArray();

    public int[] PredictedLabelIndices() => Predictions.Select(p => _classIndex[p.PredictedLabel]).ToArray();
}
