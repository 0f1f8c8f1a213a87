using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using CsvHelper.Configuration;

namespace SerNotebooks.Pretext;

/// <summary>
/// A <see cref="PretextLabelSet"/> on disk: <c>&lt;task&gt;.labels.csv</c> (one row per clip) and
/// <c>&lt;task&gt;.labels.json</c> (task name, granularity, classes, the labeller's fitted state).
/// <para>CSV columns: <c>clip_id, source, skip_reason, utterance_label, chunk_labels</c>. Labels are class
/// indices into the JSON's <c>classes</c>; −1 is a missing label. <c>chunk_labels</c> is the per-chunk labels
/// joined with ';' (empty for utterance tasks), <c>utterance_label</c> is −1 for chunk tasks,
/// <c>skip_reason</c> is empty unless the task could not use the clip.</para>
/// <para>JSON: <c>{"taskName": "...", "granularity": "chunk"|"utterance", "classes": [...],
/// "labellerStateJson": "&lt;the labeller's StateJson, verbatim&gt;"}</c>.</para>
/// <para>Other <see cref="LabelKind"/>s add <c>"kind": "regression"|"pseudo-classes"</c> to the JSON (a classification
/// task's files have no <c>kind</c>, so they are byte for byte what they were before kinds existed). A regression task's
/// CSV has a sixth column, <c>chunk_targets</c>: its per-chunk targets joined with ';' (round-trip doubles, NaN = missing),
/// with <c>chunk_labels</c> empty; it names its one output in <c>classes</c>.</para>
/// </summary>
public static class PretextLabelSetFile
{
    public const string CsvSuffix = ".labels.csv";
    public const string JsonSuffix = ".labels.json";

    private static readonly string[] Header = ["clip_id", "source", "skip_reason", "utterance_label", "chunk_labels"];

    private static readonly string[] RegressionHeader = [.. Header, "chunk_targets"];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private sealed record Sidecar(string TaskName, LabelGranularity Granularity, IReadOnlyList<string> Classes, string LabellerStateJson)
    {
        /// <summary>Null for classification, so that those files keep their bytes.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public LabelKind? Kind { get; init; }
    }

    public static string CsvPath(string directory, string taskName) => Path.Combine(directory, taskName + CsvSuffix);

    public static string JsonPath(string directory, string taskName) => Path.Combine(directory, taskName + JsonSuffix);

    /// <summary>Writes both files atomically into <paramref name="directory"/>; rows are sorted by clip id.</summary>
    public static void Write(PretextLabelSet set, string directory)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.TaskName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || set.TaskName.Length == 0)
        {
            throw new ArgumentException($"task name '{set.TaskName}' cannot be a file name");
        }
        AtomicFile.Write(CsvPath(directory, set.TaskName), stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            var regression = set.Kind == LabelKind.Regression;
            foreach (var column in regression ? RegressionHeader : Header)
            {
                csv.WriteField(column);
            }
            csv.NextRecord();
            foreach (var (id, labels) in set.ByClip.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (labels.ClipId != id)
                {
                    throw new ArgumentException($"task '{set.TaskName}': entry '{id}' holds labels of clip '{labels.ClipId}'");
                }
                csv.WriteField(id);
                csv.WriteField(labels.Source);
                csv.WriteField(labels.SkipReason ?? string.Empty);
                csv.WriteField(labels.UtteranceLabel.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(labels.ChunkLabels is null ? string.Empty : string.Join(';', labels.ChunkLabels.Select(l => l.ToString(CultureInfo.InvariantCulture))));
                if (regression)
                {
                    csv.WriteField(labels.ChunkTargets is null ? string.Empty : string.Join(';', labels.ChunkTargets.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
                }
                csv.NextRecord();
            }
        });
        AtomicFile.Write(JsonPath(directory, set.TaskName), stream =>
            JsonSerializer.Serialize(stream, new Sidecar(set.TaskName, set.Granularity, set.Classes, set.LabellerStateJson)
            {
                Kind = set.Kind == LabelKind.Classification ? null : set.Kind,
            }, JsonOptions));
    }

    /// <summary>Reads a task's label set from <paramref name="directory"/>; errors name the file and line.</summary>
    public static PretextLabelSet Read(string directory, string taskName)
    {
        var jsonPath = JsonPath(directory, taskName);
        var csvPath = CsvPath(directory, taskName);
        foreach (var path in new[] { jsonPath, csvPath })
        {
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"{path}: label file for task '{taskName}' is missing");
            }
        }
        Sidecar sidecar;
        try
        {
            sidecar = JsonSerializer.Deserialize<Sidecar>(File.ReadAllText(jsonPath), JsonOptions)
                ?? throw new InvalidDataException($"{jsonPath}: empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{jsonPath}: invalid JSON at line {e.LineNumber + 1}: {e.Message}", e);
        }
        if (sidecar.TaskName != taskName)
        {
            throw new InvalidDataException($"{jsonPath}: holds task '{sidecar.TaskName}', expected '{taskName}'");
        }
        var kind = sidecar.Kind ?? LabelKind.Classification;
        var regression = kind == LabelKind.Regression;
        if (sidecar.Classes is null || sidecar.Classes.Count < (regression ? 1 : 2))
        {
            throw new InvalidDataException($"{jsonPath}: 'classes' must list " + (regression ? "the regression output" : "at least two classes"));
        }
        var byClip = new Dictionary<string, ClipTaskLabels>(StringComparer.Ordinal);
        using var reader = new StreamReader(csvPath);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        var header = regression ? RegressionHeader : Header;
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null || !csv.HeaderRecord.SequenceEqual(header))
        {
            throw new InvalidDataException($"{csvPath}:1: header must be {string.Join(",", header)}");
        }
        while (csv.Read())
        {
            var line = csv.Parser.Row;
            string Field(string name) => csv.GetField(name) ?? string.Empty;
            var id = Field("clip_id");
            if (id.Length == 0)
            {
                throw new InvalidDataException($"{csvPath}:{line}: clip_id is empty");
            }
            int ParseLabel(string text, string column)
            {
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var label)
                    || (label != ClipTaskLabels.MissingLabel && (label < 0 || label >= sidecar.Classes.Count)))
                {
                    throw new InvalidDataException(
                        $"{csvPath}:{line}: {column} '{text}' is not −1 or a class index 0..{sidecar.Classes.Count - 1}");
                }
                return label;
            }
            var chunkText = Field("chunk_labels");
            var chunks = chunkText.Length == 0 ? null : chunkText.Split(';').Select(t => ParseLabel(t, "chunk label")).ToArray();
            var utterance = ParseLabel(Field("utterance_label"), "utterance_label");
            var skip = Field("skip_reason");
            var targetText = regression ? Field("chunk_targets") : string.Empty;
            var targets = targetText.Length == 0 ? null : targetText.Split(';').Select(t =>
                double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new InvalidDataException($"{csvPath}:{line}: chunk target '{t}' is not a number (NaN for a missing one)")).ToArray();
            var labels = new ClipTaskLabels(id, chunks, utterance, Field("source"), skip.Length == 0 ? null : skip) { ChunkTargets = targets };
            if (!byClip.TryAdd(id, labels))
            {
                throw new InvalidDataException($"{csvPath}:{line}: clip '{id}' appears twice");
            }
        }
        return new PretextLabelSet(sidecar.TaskName, sidecar.Granularity, sidecar.Classes, sidecar.LabellerStateJson ?? "{}", byClip) { Kind = kind };
    }
}

/// <summary>An <see cref="IPretextLabelSource"/> over label files saved by <see cref="PretextLabelSetFile.Write"/>.</summary>
public sealed class PretextLabelSetDirectory(string directory) : IPretextLabelSource
{
    public string Directory { get; } = directory;

    public IReadOnlyList<PretextLabelSet> GetLabelSets(PretextLabelRequest request) =>
        request.TaskNames.Select(name => PretextLabelSetFile.Read(Directory, name)).ToArray();
}
