using System.Text.Json;
using System.Text.Json.Serialization;

namespace SerNotebooks.Features.Shards;

/// <summary>One shard of a set: its file and the clips (set ordinals) and rows it holds.</summary>
public sealed record ShardEntry(string File, int FirstClip, int ClipCount, long Rows);

/// <summary>
/// <c>set.json</c>, a shard set's commit point: written (atomically) after every shard file is complete, so a folder
/// without it is an unfinished build that the next run resumes. It lists the clips in set order (ordinal by id) and
/// the shard files in order.
/// </summary>
public sealed record ShardSetManifest(
    int FormatVersion, string Key, ShardPrecision Precision, ShardWindowing Windowing, int ChunkCount, int ChunkFrames, int Bands,
    IReadOnlyList<string> ClipIds, IReadOnlyList<ShardEntry> Shards)
{
    public const string FileName = "set.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        WriteIndented = false,
    };

    public ShardGeometry Geometry => new(ChunkCount, ChunkFrames, Bands, Precision);

    public void Write(string directory) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Options));

    /// <summary>The manifest in <paramref name="directory"/>, or null when the set was never completed there.</summary>
    /// <exception cref="InvalidDataException">The file exists but cannot be read; the message names it.</exception>
    public static ShardSetManifest? TryRead(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ShardSetManifest>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException("empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}
