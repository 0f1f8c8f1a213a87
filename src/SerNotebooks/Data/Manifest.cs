using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace SerNotebooks.Data;

/// <summary>
/// A corpus manifest: a folder holding <c>manifest.csv</c> (one row per clip, schema in
/// data-manifests/SCHEMA.md) and <c>manifest.json</c> (name, kind and the data root that the CSV's
/// relative paths resolve against).
/// </summary>
public sealed class Manifest
{
    public const string CsvFileName = "manifest.csv";
    public const string MetadataFileName = "manifest.json";

    private static readonly string[] CoreColumns =
        ["id", "audio", "openface", "video", "speaker", "sex", "age", "sentence", "emotion", "level", "split"];

    public Manifest(ManifestMetadata metadata, string dataRoot, IReadOnlyList<ManifestEntry> entries)
    {
        Metadata = metadata;
        DataRoot = Path.GetFullPath(dataRoot);
        Entries = entries;
    }

    public ManifestMetadata Metadata { get; }

    /// <summary>Absolute folder that entry paths are relative to.</summary>
    public string DataRoot { get; }

    public IReadOnlyList<ManifestEntry> Entries { get; }

    /// <summary>Absolute path of an entry's relative path; an error when it escapes the data root.</summary>
    public string Resolve(string relativePath)
    {
        if (Path.IsPathRooted(relativePath))
        {
            throw new ManifestFormatException(DataRoot, null, $"path '{relativePath}' must be relative to the data root");
        }
        var full = Path.GetFullPath(Path.Combine(DataRoot, relativePath));
        var rootWithSeparator = DataRoot.EndsWith(Path.DirectorySeparatorChar) ? DataRoot : DataRoot + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new ManifestFormatException(DataRoot, null, $"path '{relativePath}' resolves outside the data root");
        }
        return full;
    }

    public static Manifest Load(string manifestDirectory)
    {
        var metadataPath = Path.Combine(manifestDirectory, MetadataFileName);
        var csvPath = Path.Combine(manifestDirectory, CsvFileName);
        if (!File.Exists(metadataPath))
        {
            throw new ManifestFormatException(metadataPath, null, "manifest metadata file is missing");
        }
        if (!File.Exists(csvPath))
        {
            throw new ManifestFormatException(csvPath, null, "manifest CSV file is missing");
        }
        ManifestMetadata metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<ManifestMetadata>(File.ReadAllText(metadataPath), JsonOptions)
                ?? throw new ManifestFormatException(metadataPath, null, "empty metadata");
        }
        catch (JsonException e)
        {
            throw new ManifestFormatException(metadataPath, (int?)e.LineNumber + 1, $"invalid JSON: {e.Message}");
        }
        var dataRoot = Path.IsPathRooted(metadata.DataRoot)
            ? metadata.DataRoot
            : Path.Combine(Path.GetFullPath(manifestDirectory), metadata.DataRoot);
        var manifest = new Manifest(metadata, dataRoot, ReadEntries(csvPath));
        for (var i = 0; i < manifest.Entries.Count; i++)
        {
            var entry = manifest.Entries[i];
            foreach (var path in new[] { entry.AudioPath, entry.OpenFacePath, entry.VideoPath })
            {
                if (path is null)
                {
                    continue;
                }
                try
                {
                    manifest.Resolve(path);
                }
                catch (ManifestFormatException e)
                {
                    throw new ManifestFormatException(csvPath, i + 2, e.Reason);
                }
            }
        }
        return manifest;
    }

    /// <summary>Writes both files atomically (temporary file, then rename).</summary>
    public void Save(string manifestDirectory)
    {
        Directory.CreateDirectory(manifestDirectory);
        var extraColumns = Entries.SelectMany(e => e.Extras.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        AtomicFile.Write(Path.Combine(manifestDirectory, CsvFileName), stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            foreach (var column in CoreColumns.Concat(extraColumns))
            {
                csv.WriteField(column);
            }
            csv.NextRecord();
            foreach (var e in Entries)
            {
                string?[] core = [e.Id, e.AudioPath, e.OpenFacePath, e.VideoPath, e.Speaker, e.Sex,
                    e.Age?.ToString(CultureInfo.InvariantCulture), e.Sentence, e.Emotion, e.Level, e.Split];
                foreach (var value in core)
                {
                    csv.WriteField(value ?? string.Empty);
                }
                foreach (var column in extraColumns)
                {
                    csv.WriteField(e.Extras.TryGetValue(column, out var v) ? v : string.Empty);
                }
                csv.NextRecord();
            }
        });
        AtomicFile.Write(Path.Combine(manifestDirectory, MetadataFileName), stream =>
            JsonSerializer.Serialize(stream, Metadata, JsonOptions));
    }

    private static List<ManifestEntry> ReadEntries(string csvPath)
    {
        using var reader = new StreamReader(csvPath);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw new ManifestFormatException(csvPath, 1, "no header row");
        }
        var header = csv.HeaderRecord;
        foreach (var required in new[] { "id", "audio", "speaker" })
        {
            if (!header.Contains(required, StringComparer.Ordinal))
            {
                throw new ManifestFormatException(csvPath, 1, $"required column '{required}' is missing");
            }
        }
        var extras = header.Where(h => !CoreColumns.Contains(h, StringComparer.Ordinal)).ToArray();
        var entries = new List<ManifestEntry>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var line = csv.Parser.Row;
            string? Field(string name) => header.Contains(name, StringComparer.Ordinal) && csv.GetField(name) is { Length: > 0 } v ? v : null;
            string Required(string name) => Field(name) ?? throw new ManifestFormatException(csvPath, line, $"column '{name}' is empty");
            int? age = null;
            if (Field("age") is { } ageText)
            {
                age = int.TryParse(ageText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var a)
                    ? a
                    : throw new ManifestFormatException(csvPath, line, $"age '{ageText}' is not an integer");
            }
            var id = Required("id");
            if (!ids.Add(id))
            {
                throw new ManifestFormatException(csvPath, line, $"duplicate id '{id}'");
            }
            entries.Add(new ManifestEntry
            {
                Id = id,
                AudioPath = Required("audio"),
                OpenFacePath = Field("openface"),
                VideoPath = Field("video"),
                Speaker = Required("speaker"),
                Sex = Field("sex"),
                Age = age,
                Sentence = Field("sentence"),
                Emotion = Field("emotion"),
                Level = Field("level"),
                Split = Field("split"),
                Extras = extras.Where(x => Field(x) is not null).ToDictionary(x => x, x => Field(x)!, StringComparer.Ordinal),
            });
        }
        return entries;
    }

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

/// <summary>
/// manifest.json: what the manifest describes. <see cref="DataRoot"/> is absolute, or relative to the
/// manifest folder.
/// </summary>
public sealed record ManifestMetadata(string Name, string Kind, string DataRoot, string? Description = null, string? SplitProtocol = null)
{
    public const string LabelledKind = "labelled";
    public const string UnlabelledKind = "unlabelled";
}
