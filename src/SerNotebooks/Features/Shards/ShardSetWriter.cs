namespace SerNotebooks.Features.Shards;

/// <summary>One row a clip contributes to a shard set: index entry, the clip's frame statistics and the C·m·F values.</summary>
public sealed record ShardRow(ShardRowInfo Info, ClipFrameStatistics Statistics, float[] Values);

/// <summary>
/// Writes a shard set: clips in set order, <c>clipsPerShard</c> clips per shard file, each file written atomically
/// (<see cref="FeatureShardWriter"/>), then <c>set.json</c> as the commit point. Resumable: a shard file left by an
/// interrupted build is kept when it is complete, belongs to this set (key, clip range) and its data checksum holds;
/// otherwise it is reported and written again. Rows are produced in parallel blocks and written in order, so the
/// files do not depend on the thread count; memory is one block of rows.
/// </summary>
public static class ShardSetWriter
{
    /// <summary>2,048 clips ≈ 577 MB of float32 rows at 11 × 100 × 64: the unit of resumption.</summary>
    public const int DefaultClipsPerShard = 2048;

    /// <param name="directory">The set's folder (created).</param>
    /// <param name="key">SHA-256 identifying what the set holds (see <see cref="ShardSetBuilder.Key"/>).</param>
    /// <param name="geometry">Row shape and precision.</param>
    /// <param name="windowing">One row per clip, or one per window.</param>
    /// <param name="clipIds">Clips in set order.</param>
    /// <param name="produceRows">Clip ordinal → its rows (window 0 first); called in parallel.</param>
    /// <param name="clipsPerShard">Clips per shard file.</param>
    /// <param name="maxParallelism">Threads producing rows.</param>
    /// <param name="progress">Clips done so far (kept shards count at once).</param>
    /// <param name="reportProblem">Told about a shard file that is dropped and rebuilt.</param>
    public static ShardSetManifest Write(
        string directory, byte[] key, ShardGeometry geometry, ShardWindowing windowing, IReadOnlyList<string> clipIds,
        Func<int, IReadOnlyList<ShardRow>> produceRows, int clipsPerShard = DefaultClipsPerShard, int maxParallelism = 2,
        IProgress<int>? progress = null, Action<string>? reportProblem = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clipsPerShard);
        System.IO.Directory.CreateDirectory(directory);
        var keyHex = Convert.ToHexStringLower(key);
        var entries = new List<ShardEntry>();
        var manifest = new ShardSetManifest(ShardFileHeader.FormatVersion, keyHex, geometry.Precision, windowing,
            geometry.ChunkCount, geometry.ChunkFrames, geometry.Bands, clipIds, entries);
        var block = Math.Max(1, maxParallelism) * 4;
        for (var first = 0; first < clipIds.Count; first += clipsPerShard)
        {
            var count = Math.Min(clipsPerShard, clipIds.Count - first);
            var entry = new ShardEntry($"shard-{entries.Count:D5}.snbs", first, count, 0);
            var path = Path.Combine(directory, entry.File);
            var rows = KeptRows(path, manifest, entry, reportProblem);
            if (rows is null)
            {
                using var writer = new FeatureShardWriter(path, geometry, windowing, key);
                for (var start = first; start < first + count; start += block)
                {
                    var size = Math.Min(block, first + count - start);
                    var produced = new IReadOnlyList<ShardRow>[size];
                    Parallel.For(0, size, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxParallelism) },
                        i => produced[i] = produceRows(start + i));
                    for (var i = 0; i < size; i++)
                    {
                        foreach (var row in produced[i])
                        {
                            writer.Append(row.Info, row.Statistics, row.Values);
                        }
                    }
                    progress?.Report(start + size);
                }
                writer.Commit();
                rows = writer.Rows;
            }
            else
            {
                progress?.Report(first + count);
            }
            entries.Add(entry with { Rows = rows.Value });
        }
        manifest = manifest with { Shards = entries.ToArray() };
        manifest.Write(directory);
        return manifest;
    }

    /// <summary>The row count of a complete, matching shard left by an earlier build; null when it must be written.</summary>
    private static long? KeptRows(string path, ShardSetManifest manifest, ShardEntry entry, Action<string>? reportProblem)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var shard = FeatureShard.Open(path);
            CheckBelongs(shard, manifest, entry);
            shard.VerifyData();
            return shard.Rows.Count;
        }
        catch (InvalidDataException e)
        {
            reportProblem?.Invoke($"{e.Message}; writing the shard again.");
            return null;
        }
    }

    /// <summary>Checks that <paramref name="shard"/> is the shard <paramref name="entry"/> of the set <paramref name="manifest"/> describes.</summary>
    /// <exception cref="InvalidDataException">It is not; the message names the file.</exception>
    internal static void CheckBelongs(FeatureShard shard, ShardSetManifest manifest, ShardEntry entry)
    {
        if (!string.Equals(Convert.ToHexStringLower(shard.SetKey), manifest.Key, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{shard.Path}: belongs to another shard set (key differs)");
        }
        if (shard.Geometry != manifest.Geometry || shard.Windowing != manifest.Windowing)
        {
            throw new InvalidDataException($"{shard.Path}: geometry or windowing differs from {ShardSetManifest.FileName}");
        }
        var rows = shard.Rows;
        var windowZero = rows.Count(r => r.Window == 0);
        if (windowZero != entry.ClipCount || (rows.Count > 0 && (rows[0].Clip != entry.FirstClip || rows[^1].Clip != entry.FirstClip + entry.ClipCount - 1))
            || (entry.Rows != 0 && entry.Rows != rows.Count))
        {
            throw new InvalidDataException($"{shard.Path}: holds clips {(rows.Count > 0 ? rows[0].Clip : -1)}..{(rows.Count > 0 ? rows[^1].Clip : -1)} in {rows.Count} rows, expected {entry.FirstClip}..{entry.FirstClip + entry.ClipCount - 1}");
        }
    }
}
