namespace SerNotebooks.Features;

/// <summary>How an utterance shorter than one chunk is brought up to the chunk length.</summary>
public enum ChunkPadding
{
    /// <summary>Repeat the utterance's frames cyclically (frame j of the padded sequence is frame j mod T).</summary>
    Repeat,

    /// <summary>Append frames of digital silence (every band at the log floor, <see cref="LogMelConfig.SilenceValue"/>).</summary>
    Silence,
}

/// <summary>
/// Chunk-level segmentation (docs/METHOD.md, "Chunking": the MSP lab's formulation): every utterance becomes exactly
/// <see cref="ChunkCount"/> chunks of <see cref="ChunkFrames"/> frames whose overlap adapts to its length.
/// </summary>
public sealed record ChunkingConfig
{
    /// <summary>m: frames per chunk; 100 frames = 1 s at a 10 ms hop.</summary>
    public int ChunkFrames { get; init; } = 100;

    /// <summary>C: chunks per utterance; 11 covers the longest (11 s) utterance without overlap.</summary>
    public int ChunkCount { get; init; } = 11;

    public ChunkPadding Padding { get; init; } = ChunkPadding.Repeat;

    public void Validate()
    {
        if (ChunkFrames < 1)
        {
            throw new ArgumentException($"ChunkingConfig.ChunkFrames must be ≥ 1, got {ChunkFrames}.");
        }
        if (ChunkCount < 1)
        {
            throw new ArgumentException($"ChunkingConfig.ChunkCount must be ≥ 1, got {ChunkCount}.");
        }
    }
}

/// <summary>
/// One chunk: frames [<see cref="StartFrame"/>, <see cref="StartFrame"/> + length) of the (padded) frame
/// sequence, and the time it spans, [StartSeconds, EndSeconds): from the centre of its first frame to the
/// centre of the frame after its last original frame (frame t is centred at t·hop / sampleRate). A video
/// frame with timestamp τ belongs to the chunk when StartSeconds ≤ τ &lt; EndSeconds.
/// </summary>
public sealed record FeatureChunk(int Index, int StartFrame, int ValidFrames, double StartSeconds, double EndSeconds);

/// <summary>The chunk layout of one utterance of <see cref="TotalFrames"/> frames.</summary>
public sealed class ChunkPlan
{
    internal ChunkPlan(int totalFrames, int chunkFrames, int step, ChunkPadding padding, IReadOnlyList<FeatureChunk> chunks)
    {
        TotalFrames = totalFrames;
        ChunkFrames = chunkFrames;
        Step = step;
        Padding = padding;
        Chunks = chunks;
    }

    public int TotalFrames { get; }

    public int ChunkFrames { get; }

    /// <summary>floor((T − m)/(C − 1)); 0 when T ≤ m or C = 1 (every chunk then starts at frame 0).</summary>
    public int Step { get; }

    public ChunkPadding Padding { get; }

    /// <summary>True when the utterance is shorter than one chunk and was padded.</summary>
    public bool IsPadded => TotalFrames < ChunkFrames;

    public IReadOnlyList<FeatureChunk> Chunks { get; }

    public int ChunkCount => Chunks.Count;

    /// <summary>
    /// The utterance frame at position <paramref name="position"/> of chunk <paramref name="chunk"/>,
    /// or −1 for a silence-padding frame.
    /// </summary>
    public int SourceFrame(int chunk, int position)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)chunk, (uint)Chunks.Count, nameof(chunk));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)position, (uint)ChunkFrames, nameof(position));
        var frame = Chunks[chunk].StartFrame + position;
        if (frame < TotalFrames)
        {
            return frame;
        }
        return Padding == ChunkPadding.Repeat ? frame % TotalFrames : -1;
    }

    /// <summary>Whether position <paramref name="position"/> of a chunk is an original frame (not padding or a repeat).</summary>
    public bool IsOriginal(int chunk, int position) => Chunks[chunk].StartFrame + position < TotalFrames;
}

/// <summary>Chunks of a feature matrix: C × m × bands values, plus which positions are original frames.</summary>
public sealed class ChunkedFeatures
{
    internal ChunkedFeatures(ChunkPlan plan, int bands, float[] data, bool[] originalFrames)
    {
        Plan = plan;
        Bands = bands;
        Data = data;
        OriginalFrames = originalFrames;
    }

    public ChunkPlan Plan { get; }

    public int ChunkCount => Plan.ChunkCount;

    public int ChunkFrames => Plan.ChunkFrames;

    public int Bands { get; }

    /// <summary>Row-major [chunk, frame, band], ready to become a (C, m, bands) tensor.</summary>
    public float[] Data { get; }

    /// <summary>Row-major [chunk, frame]: true for original frames, false for padding (or repeated) frames.</summary>
    public bool[] OriginalFrames { get; }

    public ReadOnlySpan<float> Chunk(int index) => Data.AsSpan(index * ChunkFrames * Bands, ChunkFrames * Bands);
}

/// <summary>Splits utterances into a fixed number of chunks (see <see cref="ChunkingConfig"/> and FEATURES.md).</summary>
public static class DynamicChunker
{
    /// <summary>
    /// The chunk layout for an utterance of <paramref name="totalFrames"/> (T) frames; <paramref name="frameSeconds"/>
    /// is seconds per hop (hop / sample rate), used for the chunk time spans.
    /// </summary>
    public static ChunkPlan Plan(int totalFrames, ChunkingConfig config, double frameSeconds)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalFrames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameSeconds);
        var m = config.ChunkFrames;
        var c = config.ChunkCount;
        var step = totalFrames > m && c > 1 ? (totalFrames - m) / (c - 1) : 0;
        var chunks = new FeatureChunk[c];
        for (var k = 0; k < c; k++)
        {
            var start = k * step;
            var valid = Math.Min(m, totalFrames - start);
            chunks[k] = new FeatureChunk(k, start, valid, start * frameSeconds, (start + valid) * frameSeconds);
        }
        return new ChunkPlan(totalFrames, m, step, config.Padding, chunks);
    }

    public static ChunkPlan Plan(int totalFrames, ChunkingConfig config, LogMelConfig framing) =>
        Plan(totalFrames, config, framing.HopLength / (double)framing.SampleRate);

    /// <summary>
    /// Copies each chunk's frames out of <paramref name="features"/>, padding per the plan; a silence-padding
    /// frame gets <paramref name="silenceValue"/> in every band (the log floor for log-mel).
    /// </summary>
    public static ChunkedFeatures Extract(FeatureMatrix features, ChunkPlan plan, float silenceValue)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(plan);
        if (features.Frames != plan.TotalFrames)
        {
            throw new ArgumentException($"The plan is for {plan.TotalFrames} frames but the features have {features.Frames}.", nameof(plan));
        }
        var bands = features.Bands;
        var m = plan.ChunkFrames;
        var data = new float[plan.ChunkCount * m * bands];
        var original = new bool[plan.ChunkCount * m];
        for (var k = 0; k < plan.ChunkCount; k++)
        {
            for (var j = 0; j < m; j++)
            {
                var destination = data.AsSpan((k * m + j) * bands, bands);
                var source = plan.SourceFrame(k, j);
                if (source >= 0)
                {
                    features.Row(source).CopyTo(destination);
                }
                else
                {
                    destination.Fill(silenceValue);
                }
                original[k * m + j] = plan.IsOriginal(k, j);
            }
        }
        return new ChunkedFeatures(plan, bands, data, original);
    }

    /// <summary>Chunks a per-frame series (frame energy, F0, …) with the same plan; padding frames get <paramref name="padValue"/>.</summary>
    public static T[][] ExtractSeries<T>(ReadOnlySpan<T> perFrame, ChunkPlan plan, T padValue)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (perFrame.Length != plan.TotalFrames)
        {
            throw new ArgumentException($"The plan is for {plan.TotalFrames} frames but the series has {perFrame.Length}.", nameof(perFrame));
        }
        var result = new T[plan.ChunkCount][];
        for (var k = 0; k < plan.ChunkCount; k++)
        {
            result[k] = new T[plan.ChunkFrames];
            for (var j = 0; j < plan.ChunkFrames; j++)
            {
                var source = plan.SourceFrame(k, j);
                result[k][j] = source >= 0 ? perFrame[source] : padValue;
            }
        }
        return result;
    }
}
