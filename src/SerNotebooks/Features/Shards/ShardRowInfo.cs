namespace SerNotebooks.Features.Shards;

/// <summary>
/// One row's index entry: which clip (its ordinal in the shard set) and window it is, the clip's total frames, the
/// window's first frame, and which of its C chunks carry frames of their own (a chunk that starts where the one
/// before it starts is a padding copy, masked out of pooling).
/// </summary>
public sealed record ShardRowInfo(int Clip, int Window, int ClipFrames, int WindowStart, bool[] ChunkMask);

/// <summary>
/// Per-band sums and sums of squares over every frame of a clip (each frame once, however the chunks overlap): what
/// exact normalisation statistics need, summed in float64 in frame order as the in-memory path does.
/// </summary>
public sealed record ClipFrameStatistics(long Frames, double[] Sums, double[] Squares)
{
    public static ClipFrameStatistics Of(FeatureMatrix logMel)
    {
        ArgumentNullException.ThrowIfNull(logMel);
        var bands = logMel.Bands;
        var sums = new double[bands];
        var squares = new double[bands];
        var values = logMel.AsSpan();
        for (var t = 0; t < logMel.Frames; t++)
        {
            for (var b = 0; b < bands; b++)
            {
                double v = values[t * bands + b];
                sums[b] += v;
                squares[b] += v * v;
            }
        }
        return new ClipFrameStatistics(logMel.Frames, sums, squares);
    }
}
