namespace SerNotebooks.Features.Shards;

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
    /// The chunk plan of one window, in the clip's frame numbers (so chunk times line up with the clip's video frames):
    /// for a single-window clip its own <see cref="DynamicChunker"/> plan; otherwise C consecutive chunks of m frames from
    /// <paramref name="start"/>.
    /// </summary>
    public static ChunkPlan Plan(int totalFrames, int start, ChunkingConfig chunking, LogMelConfig framing)
    {
        ArgumentNullException.ThrowIfNull(chunking);
        ArgumentNullException.ThrowIfNull(framing);
        var window = chunking.ChunkCount * chunking.ChunkFrames;
        if (totalFrames <= window)
        {
            return DynamicChunker.Plan(totalFrames, chunking, framing);
        }
        if (start < 0 || start > totalFrames - window)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"a window of {window} frames cannot start at frame {start} of a {totalFrames}-frame clip");
        }
        var frameSeconds = framing.HopLength / (double)framing.SampleRate;
        var m = chunking.ChunkFrames;
        var chunks = new FeatureChunk[chunking.ChunkCount];
        for (var k = 0; k < chunks.Length; k++)
        {
            var first = start + k * m;
            chunks[k] = new FeatureChunk(k, first, m, first * frameSeconds, (first + m) * frameSeconds);
        }
        return new ChunkPlan(totalFrames, m, m, chunking.Padding, chunks);
    }

    /// <summary>The chunked features of the window that starts at <paramref name="start"/> (<see cref="Plan"/>).</summary>
    public static ChunkedFeatures Extract(FeatureMatrix logMel, int start, ChunkingConfig chunking, LogMelConfig framing)
    {
        ArgumentNullException.ThrowIfNull(logMel);
        return DynamicChunker.Extract(logMel, Plan(logMel.Frames, start, chunking, framing), framing.SilenceValue);
    }

    /// <summary>
    /// The id of window <paramref name="window"/> of <paramref name="windowCount"/> of a clip, as datasets and label sets
    /// name it: the clip's own id when it has one window, else <c>&lt;id&gt;@w&lt;window&gt;</c>.
    /// </summary>
    public static string RowId(string clipId, int window, int windowCount) =>
        windowCount == 1 ? clipId : $"{clipId}{WindowSeparator}{window.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Between a clip id and its window number in <see cref="RowId"/>.</summary>
    public const string WindowSeparator = "@w";
}
