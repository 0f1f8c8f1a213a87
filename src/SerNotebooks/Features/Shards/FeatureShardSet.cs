namespace SerNotebooks.Features.Shards;

/// <summary>
/// A complete shard set opened for reading: the chunked features of a list of clips in one or more shard files
/// (SHARDS.md). Rows are numbered across the set with 64-bit indices; a clip's rows (one, or one per window) are
/// consecutive. Reading never loads a shard's data: <see cref="ReadRow"/> maps one row at a time.
/// </summary>
public sealed class FeatureShardSet : IDisposable
{
    private readonly FeatureShard[] shards;
    private readonly long[] shardFirstRow;
    private readonly long[] clipFirstRow;
    private readonly Dictionary<string, int> ordinals;

    private FeatureShardSet(string directory, ShardSetManifest manifest, FeatureShard[] shards)
    {
        Directory = directory;
        Manifest = manifest;
        this.shards = shards;
        shardFirstRow = new long[shards.Length + 1];
        clipFirstRow = new long[manifest.ClipIds.Count + 1];
        ordinals = new Dictionary<string, int>(manifest.ClipIds.Count, StringComparer.Ordinal);
        for (var c = 0; c < manifest.ClipIds.Count; c++)
        {
            ordinals.Add(manifest.ClipIds[c], c);
        }
        long row = 0;
        var clip = 0;
        for (var s = 0; s < shards.Length; s++)
        {
            shardFirstRow[s] = row;
            foreach (var info in shards[s].Rows)
            {
                if (info.Window == 0)
                {
                    if (info.Clip != clip)
                    {
                        throw new InvalidDataException($"{shards[s].Path}: row {row - shardFirstRow[s]} is clip {info.Clip}, expected {clip}");
                    }
                    clipFirstRow[clip++] = row;
                }
                row++;
            }
        }
        shardFirstRow[^1] = row;
        if (clip != manifest.ClipIds.Count)
        {
            throw new InvalidDataException($"{Path.Combine(directory, ShardSetManifest.FileName)}: {manifest.ClipIds.Count} clips listed, {clip} found in the shards");
        }
        clipFirstRow[^1] = row;
    }

    public string Directory { get; }

    public ShardSetManifest Manifest { get; }

    public ShardGeometry Geometry => Manifest.Geometry;

    public ShardWindowing Windowing => Manifest.Windowing;

    public IReadOnlyList<string> ClipIds => Manifest.ClipIds;

    public long RowCount => shardFirstRow[^1];

    public IReadOnlyList<FeatureShard> Shards => shards;

    /// <summary>Opens the set in <paramref name="directory"/>; with <paramref name="verifyData"/> every shard's data checksum is checked too.</summary>
    /// <exception cref="InvalidDataException">Missing, truncated or corrupt; the message names the file.</exception>
    public static FeatureShardSet Open(string directory, bool verifyData = false)
    {
        directory = Path.GetFullPath(directory);
        var manifest = ShardSetManifest.TryRead(directory)
            ?? throw new InvalidDataException($"{Path.Combine(directory, ShardSetManifest.FileName)}: missing (the shard set was never completed)");
        var opened = new List<FeatureShard>();
        try
        {
            foreach (var entry in manifest.Shards)
            {
                var shard = FeatureShard.Open(Path.Combine(directory, entry.File));
                opened.Add(shard);
                ShardSetWriter.CheckBelongs(shard, manifest, entry);
                if (verifyData)
                {
                    shard.VerifyData();
                }
            }
            return new FeatureShardSet(directory, manifest, opened.ToArray());
        }
        catch
        {
            foreach (var shard in opened)
            {
                shard.Dispose();
            }
            throw;
        }
    }

    /// <summary>The set ordinal of clip <paramref name="id"/>, or −1.</summary>
    public int OrdinalOf(string id) => ordinals.TryGetValue(id, out var ordinal) ? ordinal : -1;

    /// <summary>The rows of clip <paramref name="ordinal"/>: the first one and how many (windows).</summary>
    public (long FirstRow, int Count) RowsOf(int ordinal) => (clipFirstRow[ordinal], (int)(clipFirstRow[ordinal + 1] - clipFirstRow[ordinal]));

    public ShardRowInfo RowInfo(long row)
    {
        var (shard, local) = Locate(row);
        return shard.Rows[(int)local];
    }

    /// <summary>Copies row <paramref name="row"/> (set-wide index) into <paramref name="destination"/> as float32.</summary>
    public void ReadRow(long row, Span<float> destination)
    {
        var (shard, local) = Locate(row);
        shard.ReadRow(local, destination);
    }

    public ClipFrameStatistics ReadStatistics(long row)
    {
        var (shard, local) = Locate(row);
        return shard.ReadStatistics(local);
    }

    private (FeatureShard Shard, long Local) Locate(long row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((ulong)row, (ulong)RowCount, nameof(row));
        var s = Array.BinarySearch(shardFirstRow, row);
        if (s < 0)
        {
            s = ~s - 1;
        }
        while (shardFirstRow[s + 1] == row)
        {
            s++; // Skip empty shards.
        }
        return (shards[s], row - shardFirstRow[s]);
    }

    public void Dispose()
    {
        foreach (var shard in shards)
        {
            shard.Dispose();
        }
    }
}
