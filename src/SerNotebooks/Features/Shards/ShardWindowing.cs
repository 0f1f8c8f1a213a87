namespace SerNotebooks.Features.Shards;

/// <summary>Which rows a shard holds per clip.</summary>
public enum ShardWindowing
{
    /// <summary>One row per clip: the clip's <see cref="DynamicChunker"/> plan (C chunks, overlap adapted to its length), as training uses today.</summary>
    ChunkPlan = 0,

    /// <summary>One row per window of C·m frames (<see cref="ClipWindows"/>): long clips are covered completely.</summary>
    Windows = 1,
}

/// <summary>
/// The windowing rule for clips longer than the model's C·m-frame window (11 × 100 frames = 11 s at the defaults).
/// The chunk plan of such a clip spreads its C chunks over the whole clip with gaps between them, so frames between
/// the chunks are never seen. Cut into windows instead:
/// <list type="bullet">
/// <item>T ≤ C·m: one window, the clip's own chunk plan (short clips stay exactly as today, padding included).</item>
/// <item>T &gt; C·m: n = ceil(T / (C·m)) windows; window w (w &lt; n − 1) starts at frame w·C·m, the last one at T − C·m
/// (aligned to the end, so it overlaps the one before it instead of being padded). Each window is C consecutive,
/// non-overlapping chunks of m frames (the chunk plan of exactly C·m frames).</item>
/// </list>
/// Nothing is left out: every frame is in at least one window; the frames of the last window's overlap are seen twice.
/// </summary>
public static class ClipWindows
{
    /// <summary>The first frame of each window of a clip of <paramref name="totalFrames"/> frames.</summary>
    public static int[] Starts(int totalFrames, ChunkingConfig chunking)
    {
        ArgumentNullException.ThrowIfNull(chunking);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalFrames);
        var window = (long)chunking.ChunkCount * chunking.ChunkFrames;
        if (totalFrames <= window)
        {
            return [0];
        }
        var count = (int)((totalFrames + window - 1) / window);
        var starts = new int[count];
        for (var w = 0; w < count - 1; w++)
        {
            starts[w] = (int)(w * window);
        }
        starts[^1] = (int)(totalFrames - window);
        return starts;
    }

    /// <summary>
    /// The chunked features of one window: for a single-window clip its chunk plan; otherwise the C·m frames from
    /// <paramref name="start"/> in C consecutive chunks.
    /// </summary>
    public static ChunkedFeatures Extract(FeatureMatrix logMel, int start, ChunkingConfig chunking, LogMelConfig framing)
    {
        ArgumentNullException.ThrowIfNull(logMel);
        var window = chunking.ChunkCount * chunking.ChunkFrames;
        if (logMel.Frames <= window)
        {
            return DynamicChunker.Extract(logMel, DynamicChunker.Plan(logMel.Frames, chunking, framing), framing.SilenceValue);
        }
        var bands = logMel.Bands;
        var frames = new float[window * bands];
        for (var t = 0; t < window; t++)
        {
            logMel.Row(start + t).CopyTo(frames.AsSpan(t * bands, bands));
        }
        var slice = new FeatureMatrix(window, bands, frames);
        return DynamicChunker.Extract(slice, DynamicChunker.Plan(window, chunking, framing), framing.SilenceValue);
    }
}
