using System.Security.Cryptography;
using System.Text;

namespace SerNotebooks.Features.Shards;

/// <summary>
/// A clip to put in a shard set: its id, its audio file, and what identifies its audio (the content hash when a feature
/// cache is at hand, so a renamed or moved corpus still reuses its shards).
/// </summary>
public sealed record ShardClip(string Id, string AudioPath, string ContentIdentity);

/// <summary>
/// Finds or builds the shard set of a list of clips: the same clips (ids and audio content, in any order), feature
/// settings, chunking, windowing and precision always give the same key and folder (<c>&lt;root&gt;/&lt;key[..24]&gt;</c>),
/// so a second run reuses the shards instead of extracting and chunking again; an interrupted build resumes shard by shard.
/// </summary>
public static class ShardSetBuilder
{
    /// <summary>
    /// The set's key: SHA-256 over the format version, the feature extractor's settings hash, the chunking, windowing,
    /// precision, and every (id, content identity) pair sorted by id.
    /// </summary>
    public static byte[] Key(IEnumerable<ShardClip> clips, FeatureExtractorConfig features, ChunkingConfig chunking, ShardWindowing windowing, ShardPrecision precision)
    {
        var text = new StringBuilder();
        text.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"snbs {ShardFileHeader.FormatVersion}\nfeatures {Convert.ToHexStringLower(features.StableHash())}\nchunking {chunking.ChunkFrames} {chunking.ChunkCount} {chunking.Padding}\nwindowing {windowing}\nprecision {precision}\n");
        foreach (var clip in clips.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            text.Append(clip.Id).Append('\t').Append(clip.ContentIdentity).Append('\n');
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Opens the set of <paramref name="clips"/> under <paramref name="root"/>, building (or finishing) it first when needed.</summary>
    /// <exception cref="InvalidDataException">A clip's audio cannot be read; the message names the clip and its file.</exception>
    public static FeatureShardSet Ensure(
        IReadOnlyList<ShardClip> clips, FeatureExtractor extractor, ChunkingConfig chunking, ShardPrecision precision, ShardWindowing windowing,
        string root, int maxParallelism = 2, IProgress<int>? progress = null, Action<string>? reportProblem = null,
        int clipsPerShard = ShardSetWriter.DefaultClipsPerShard)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(extractor);
        chunking.Validate();
        var key = Key(clips, extractor.Config, chunking, windowing, precision);
        var directory = Path.Combine(Path.GetFullPath(root), Convert.ToHexStringLower(key)[..24]);
        if (TryReuse(directory, key, reportProblem) is { } ready)
        {
            progress?.Report(clips.Count);
            return ready;
        }
        // Several training processes (reproduce --jobs N) may need the same set at once: one builds it, the others wait
        // for its lock and then reuse what it wrote instead of extracting the same corpus N times.
        using var buildLock = BuildLock.Acquire(directory);
        if (TryReuse(directory, key, reportProblem) is { } built)
        {
            progress?.Report(clips.Count);
            return built;
        }

        var ordered = clips.OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
        var geometry = new ShardGeometry(chunking.ChunkCount, chunking.ChunkFrames, extractor.Config.LogMel.NMels, precision);
        ShardSetWriter.Write(directory, key, geometry, windowing, ordered.Select(c => c.Id).ToArray(),
            ordinal => Rows(ordered[ordinal], ordinal, extractor, chunking, windowing),
            clipsPerShard, maxParallelism, progress, reportProblem);
        extractor.Cache?.SaveContentHashes();
        return FeatureShardSet.Open(directory);
    }

    /// <summary>The complete set in <paramref name="directory"/> (data checksums verified), or null; a damaged one is reported and its commit point removed.</summary>
    private static FeatureShardSet? TryReuse(string directory, byte[] key, Action<string>? reportProblem)
    {
        try
        {
            if (ShardSetManifest.TryRead(directory) is { } existing && existing.Key == Convert.ToHexStringLower(key))
            {
                return FeatureShardSet.Open(directory, verifyData: true);
            }
        }
        catch (InvalidDataException e)
        {
            reportProblem?.Invoke($"{e.Message}; rebuilding the damaged shards.");
            File.Delete(Path.Combine(directory, ShardSetManifest.FileName));
        }
        return null;
    }

    /// <summary>
    /// An exclusive lock on <c>&lt;set folder&gt;.lock</c>: .NET opens a file with <see cref="FileShare.None"/> under an
    /// advisory <c>flock</c> on Unix, which the kernel drops when the process dies, so a killed builder never blocks the next.
    /// </summary>
    private sealed class BuildLock(FileStream stream) : IDisposable
    {
        public static BuildLock Acquire(string directory)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
            var path = directory + ".lock";
            while (true)
            {
                try
                {
                    return new BuildLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException) when (File.Exists(path))
                {
                    Thread.Sleep(500); // Another process is building this set.
                }
            }
        }

        public void Dispose() => stream.Dispose();
    }

    /// <summary>A clip's rows: its chunk plan, or one row per window (<see cref="ClipWindows"/>).</summary>
    public static IReadOnlyList<ShardRow> Rows(ShardClip clip, int ordinal, FeatureExtractor extractor, ChunkingConfig chunking, ShardWindowing windowing)
    {
        FeatureSet features;
        try
        {
            features = extractor.Extract(clip.AudioPath);
        }
        catch (Exception e) when (e is Audio.AudioFormatException or IOException)
        {
            throw new InvalidDataException($"clip '{clip.Id}' ({clip.AudioPath}): {e.Message}", e);
        }
        return RowsOf(features.LogMel, ordinal, chunking, windowing, extractor.Config.LogMel);
    }

    /// <summary>The rows of one clip's log-mel matrix (the clip's statistics on each of them).</summary>
    public static IReadOnlyList<ShardRow> RowsOf(FeatureMatrix logMel, int ordinal, ChunkingConfig chunking, ShardWindowing windowing, LogMelConfig framing)
    {
        var statistics = ClipFrameStatistics.Of(logMel);
        var starts = windowing == ShardWindowing.Windows ? ClipWindows.Starts(logMel.Frames, chunking) : [0];
        var rows = new ShardRow[starts.Length];
        for (var w = 0; w < starts.Length; w++)
        {
            var chunked = windowing == ShardWindowing.Windows
                ? ClipWindows.Extract(logMel, starts[w], chunking, framing)
                : DynamicChunker.Extract(logMel, DynamicChunker.Plan(logMel.Frames, chunking, framing), framing.SilenceValue);
            var plan = chunked.Plan;
            var mask = new bool[plan.ChunkCount];
            for (var k = 0; k < plan.ChunkCount; k++)
            {
                mask[k] = k == 0 || plan.Chunks[k].StartFrame != plan.Chunks[k - 1].StartFrame;
            }
            rows[w] = new ShardRow(new ShardRowInfo(ordinal, w, logMel.Frames, starts[w], mask), statistics, chunked.Data);
        }
        return rows;
    }
}
