using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace SerNotebooks.Evaluation;

/// <summary>
/// Reads and writes per-utterance predictions CSV (schema in EVALUATION.md): <c>id,true_label,predicted_label</c>
/// then one <c>prob_&lt;class&gt;</c> column per class in label-set order. Labels are class names. The
/// probability columns define the label set (and its order), so metrics recomputed from the file use every
/// class, including one never predicted and one absent from the truth. Runs on clips with rater votes add, after the
/// probabilities, one <c>perceived_&lt;modality&gt;</c> column per other reference (empty: no single perceived label), so
/// metrics against the perceived labels are recomputed from the file too.
/// </summary>
public static class PredictionsFile
{
    public const string IdColumn = "id";
    public const string TrueLabelColumn = "true_label";
    public const string PredictedLabelColumn = "predicted_label";
    public const string ProbabilityPrefix = "prob_";
    public const string ReferencePrefix = "perceived_";

    /// <summary>Writes atomically; probabilities with round-trip precision, invariant culture.</summary>
    public static void Write(string path, PredictionSet predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (!predictions.HasProbabilities && predictions.Count > 0)
        {
            throw new ArgumentException(
                "Every prediction needs one probability per class: the prob_<class> columns are what carries the label set.",
                nameof(predictions));
        }
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteField(IdColumn);
            csv.WriteField(TrueLabelColumn);
            csv.WriteField(PredictedLabelColumn);
            foreach (var name in predictions.ClassNames)
            {
                csv.WriteField(ProbabilityPrefix + name);
            }
            foreach (var reference in predictions.ReferenceNames)
            {
                csv.WriteField(reference);
            }
            csv.NextRecord();
            foreach (var row in predictions.Predictions)
            {
                csv.WriteField(row.Id);
                csv.WriteField(row.TrueLabel);
                csv.WriteField(row.PredictedLabel);
                foreach (var p in row.Probabilities)
                {
                    csv.WriteField(p.ToString("R", CultureInfo.InvariantCulture));
                }
                foreach (var reference in predictions.ReferenceNames)
                {
                    csv.WriteField(row.References.GetValueOrDefault(reference, string.Empty));
                }
                csv.NextRecord();
            }
        });
    }

    /// <summary>
    /// Reads a predictions file. The label set is taken from the <c>prob_</c> columns; pass
    /// <paramref name="classNames"/> to require a specific label set (needed when the file has no probability
    /// columns). Any problem is an <see cref="EvaluationFormatException"/> naming the file and line.
    /// </summary>
    public static PredictionSet Read(string path, IReadOnlyList<string>? classNames = null)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationFormatException(path, null, "predictions file not found");
        }
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw new EvaluationFormatException(path, 1, "no header row");
        }
        var header = csv.HeaderRecord;
        int Column(string name) => Array.IndexOf(header, name) is var index and >= 0
            ? index
            : throw new EvaluationFormatException(path, 1, $"required column '{name}' is missing (header: {string.Join(",", header)})");
        var idColumn = Column(IdColumn);
        var trueColumn = Column(TrueLabelColumn);
        var predictedColumn = Column(PredictedLabelColumn);
        var probabilityColumns = header.Select((h, i) => (h, i)).Where(x => x.h.StartsWith(ProbabilityPrefix, StringComparison.Ordinal)).ToArray();
        var referenceColumns = header.Select((h, i) => (h, i)).Where(x => x.h.StartsWith(ReferencePrefix, StringComparison.Ordinal)).ToArray();
        var fileClasses = probabilityColumns.Select(x => x.h[ProbabilityPrefix.Length..]).ToArray();
        IReadOnlyList<string> labelSet;
        if (classNames is not null)
        {
            if (fileClasses.Length > 0 && !fileClasses.SequenceEqual(classNames, StringComparer.Ordinal))
            {
                throw new EvaluationFormatException(path, 1,
                    $"probability columns are for ({string.Join(", ", fileClasses)}) but the expected label set is ({string.Join(", ", classNames)})");
            }
            labelSet = classNames;
        }
        else if (fileClasses.Length > 0)
        {
            labelSet = fileClasses;
        }
        else
        {
            throw new EvaluationFormatException(path, 1,
                $"no '{ProbabilityPrefix}<class>' columns, so the label set is unknown: pass the class names explicitly");
        }
        if (labelSet.Distinct(StringComparer.Ordinal).Count() != labelSet.Count || labelSet.Any(string.IsNullOrWhiteSpace))
        {
            throw new EvaluationFormatException(path, 1, $"the label set ({string.Join(", ", labelSet)}) has an empty or repeated class name");
        }
        var known = new HashSet<string>(labelSet, StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<UtterancePrediction>();
        while (csv.Read())
        {
            var line = csv.Parser.Row;
            string Field(int column, string name) =>
                column < csv.Parser.Count && csv.GetField(column) is { Length: > 0 } value
                    ? value
                    : throw new EvaluationFormatException(path, line, $"column '{name}' is empty");
            var id = Field(idColumn, IdColumn);
            if (!ids.Add(id))
            {
                throw new EvaluationFormatException(path, line, $"duplicate id '{id}'");
            }
            var trueLabel = Field(trueColumn, TrueLabelColumn);
            var predictedLabel = Field(predictedColumn, PredictedLabelColumn);
            foreach (var (label, column) in new[] { (trueLabel, TrueLabelColumn), (predictedLabel, PredictedLabelColumn) })
            {
                if (!known.Contains(label))
                {
                    throw new EvaluationFormatException(path, line, $"{column} '{label}' is not in the label set ({string.Join(", ", labelSet)})");
                }
            }
            var probabilities = new double[probabilityColumns.Length];
            for (var j = 0; j < probabilityColumns.Length; j++)
            {
                var (name, column) = probabilityColumns[j];
                var text = Field(column, name);
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || !double.IsFinite(p) || p < 0 || p > 1)
                {
                    throw new EvaluationFormatException(path, line, $"{name} '{text}' is not a probability in [0, 1]");
                }
                probabilities[j] = p;
            }
            var references = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, column) in referenceColumns)
            {
                var label = column < csv.Parser.Count ? csv.GetField(column) ?? string.Empty : string.Empty;
                references[name] = label.Length == 0 || known.Contains(label)
                    ? label
                    : throw new EvaluationFormatException(path, line, $"{name} '{label}' is not in the label set ({string.Join(", ", labelSet)})");
            }
            rows.Add(new UtterancePrediction(id, trueLabel, predictedLabel, probabilities) { References = references });
        }
        if (rows.Count == 0)
        {
            throw new EvaluationFormatException(path, null, "no predictions (header only)");
        }
        return new PredictionSet(labelSet, rows);
    }
}
