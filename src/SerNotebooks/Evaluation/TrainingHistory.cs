using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace SerNotebooks.Evaluation;

/// <summary>
/// Per-epoch training metrics: the epoch numbers and named numeric series (losses, dev macro-F1, ...), NaN
/// where an epoch has no value (e.g. a dev metric only computed every other epoch). Read from a run's
/// per-epoch CSV (an <c>epoch</c> column plus numeric columns; schema in EVALUATION.md) or built in memory.
/// </summary>
public sealed class TrainingHistory
{
    public const string EpochColumn = "epoch";

    public TrainingHistory(IReadOnlyList<int> epochs, IReadOnlyDictionary<string, IReadOnlyList<double>> series, IReadOnlyList<string>? ignoredColumns = null)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(series);
        foreach (var (name, values) in series)
        {
            if (values.Count != epochs.Count)
            {
                throw new ArgumentException($"Series '{name}' has {values.Count} values for {epochs.Count} epochs.", nameof(series));
            }
        }
        Epochs = epochs.ToArray();
        Series = series.ToDictionary(s => s.Key, s => (IReadOnlyList<double>)s.Value.ToArray(), StringComparer.Ordinal);
        SeriesNames = series.Keys.ToArray();
        IgnoredColumns = ignoredColumns ?? [];
    }

    public IReadOnlyList<int> Epochs { get; }

    /// <summary>Series in column order.</summary>
    public IReadOnlyList<string> SeriesNames { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<double>> Series { get; }

    /// <summary>Columns of the CSV that were not numeric (e.g. a timestamp) and so are not series.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; }

    /// <summary>True for bookkeeping columns (wall time: <c>seconds</c>, <c>*_seconds</c>, <c>time</c>, <c>*_time</c>)
    /// that are not training curves and are left out of charts by default.</summary>
    public static bool IsTiming(string seriesName) =>
        seriesName is "seconds" or "time" || seriesName.EndsWith("_seconds", StringComparison.Ordinal) || seriesName.EndsWith("_time", StringComparison.Ordinal);

    /// <summary>True for series drawn on the loss axis (name contains "loss").</summary>
    public static bool IsLoss(string seriesName) => seriesName.Contains("loss", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads a per-epoch CSV. Requires an integer <c>epoch</c> column with strictly increasing values; every
    /// other column whose non-empty fields are all numbers becomes a series (empty = NaN), the rest are listed
    /// in <see cref="IgnoredColumns"/>.
    /// </summary>
    public static TrainingHistory ReadCsv(string path)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationFormatException(path, null, "per-epoch metrics file not found");
        }
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw new EvaluationFormatException(path, 1, "no header row");
        }
        var header = csv.HeaderRecord;
        var epochColumn = Array.IndexOf(header, EpochColumn);
        if (epochColumn < 0)
        {
            throw new EvaluationFormatException(path, 1, $"required column '{EpochColumn}' is missing (header: {string.Join(",", header)})");
        }
        var epochs = new List<int>();
        var raw = header.Select(_ => new List<string>()).ToArray();
        while (csv.Read())
        {
            var line = csv.Parser.Row;
            var epochText = csv.GetField(epochColumn) ?? "";
            if (!int.TryParse(epochText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
            {
                throw new EvaluationFormatException(path, line, $"epoch '{epochText}' is not an integer");
            }
            if (epochs.Count > 0 && epoch <= epochs[^1])
            {
                throw new EvaluationFormatException(path, line, $"epoch {epoch} does not follow epoch {epochs[^1]}: epochs must increase");
            }
            epochs.Add(epoch);
            for (var c = 0; c < header.Length; c++)
            {
                raw[c].Add(c < csv.Parser.Count ? csv.GetField(c) ?? "" : "");
            }
        }
        var series = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        var ignored = new List<string>();
        for (var c = 0; c < header.Length; c++)
        {
            if (c == epochColumn)
            {
                continue;
            }
            var values = new double[epochs.Count];
            var numeric = true;
            for (var r = 0; r < epochs.Count && numeric; r++)
            {
                var text = raw[c][r];
                if (text.Length == 0)
                {
                    values[r] = double.NaN;
                }
                else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    values[r] = v;
                }
                else
                {
                    numeric = false;
                }
            }
            if (numeric)
            {
                series[header[c]] = values;
            }
            else
            {
                ignored.Add(header[c]);
            }
        }
        return new TrainingHistory(epochs, series, ignored);
    }
}
