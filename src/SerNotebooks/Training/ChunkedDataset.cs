using SerNotebooks.Data;
using SerNotebooks.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>One clip of a dataset: its manifest row and the split it belongs to in this run.</summary>
public sealed record DatasetClip(string Id, string Speaker, string Split, string? Emotion);

/// <summary>
/// Every clip of a run as one in-memory tensor of chunked log-mel features, [clips, C, m, F] float32, built
/// once (from the feature cache when it holds the clips), so that a training step only slices it: no file
/// I/O per step. <see cref="ChunkMask"/> [clips, C] marks the chunks that carry frames of their own (a clip
/// shorter than one chunk has one real chunk; the chunker's copies of it are masked out of pooling).
/// </summary>
public sealed class ChunkedDataset : IDisposable
{
    private readonly double[] featureSums;
    private readonly double[] featureSquares;
    private readonly long[] frameCounts;

    private ChunkedDataset(IReadOnlyList<DatasetClip> clips, Tensor inputs, Tensor chunkMask, double[] sums, double[] squares, long[] counts)
    {
        Clips = clips;
        Inputs = inputs;
        ChunkMask = chunkMask;
        featureSums = sums;
        featureSquares = squares;
        frameCounts = counts;
        IndexOf = clips.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<DatasetClip> Clips { get; }

    public IReadOnlyDictionary<string, int> IndexOf { get; }

    /// <summary>[clips, C, m, F] float32.</summary>
    public Tensor Inputs { get; }

    /// <summary>[clips, C] bool.</summary>
    public Tensor ChunkMask { get; }

    public int Count => Clips.Count;

    public int ChunkCount => (int)Inputs.shape[1];

    public int ChunkFrames => (int)Inputs.shape[2];

    public int Features => (int)Inputs.shape[3];

    /// <summary>Whether <see cref="Normalize"/> has been applied.</summary>
    public FeatureNormalization? Normalization { get; private set; }

    /// <summary>
    /// Extracts (or reads from the cache) and chunks every clip. <paramref name="maxParallelism"/> bounds the
    /// feature threads. Errors name the clip and its file.
    /// </summary>
    public static ChunkedDataset Build(
        IReadOnlyList<(Manifest Manifest, ManifestEntry Entry, string Split)> clips,
        FeatureExtractor extractor,
        ChunkingConfig chunking,
        int maxParallelism = 2,
        IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Count == 0)
        {
            throw new ArgumentException("the dataset has no clips");
        }
        chunking.Validate();
        var bands = extractor.Config.LogMel.NMels;
        var perClip = chunking.ChunkCount * chunking.ChunkFrames * bands;
        var data = new float[checked((long)clips.Count * perClip)];
        var mask = new bool[clips.Count * chunking.ChunkCount];
        var sums = new double[clips.Count * bands];
        var squares = new double[clips.Count * bands];
        var counts = new long[clips.Count];
        var done = 0;
        var progressGate = new Lock();
        Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxParallelism) }, i =>
        {
            var (manifest, entry, _) = clips[i];
            var path = manifest.Resolve(entry.AudioPath);
            FeatureSet features;
            try
            {
                features = extractor.Extract(path);
            }
            catch (Exception e) when (e is Audio.AudioFormatException or IOException)
            {
                throw new InvalidDataException($"clip '{entry.Id}' ({path}): {e.Message}", e);
            }
            var plan = DynamicChunker.Plan(features.Frames, chunking, extractor.Config.LogMel);
            var chunked = DynamicChunker.Extract(features.LogMel, plan, extractor.Config.LogMel.SilenceValue);
            chunked.Data.CopyTo(data.AsSpan((int)((long)i * perClip), perClip));
            for (var k = 0; k < plan.ChunkCount; k++)
            {
                mask[i * chunking.ChunkCount + k] = k == 0 || plan.Chunks[k].StartFrame != plan.Chunks[k - 1].StartFrame;
            }
            var logMel = features.LogMel.AsSpan();
            for (var t = 0; t < features.Frames; t++)
            {
                for (var b = 0; b < bands; b++)
                {
                    double v = logMel[t * bands + b];
                    sums[i * bands + b] += v;
                    squares[i * bands + b] += v * v;
                }
            }
            counts[i] = features.Frames;
            if (progress is not null)
            {
                lock (progressGate)
                {
                    progress.Report(++done);
                }
            }
        });
        var datasetClips = clips.Select(c => new DatasetClip(c.Entry.Id, c.Entry.Speaker, c.Split, c.Entry.Emotion)).ToArray();
        return new ChunkedDataset(
            datasetClips,
            torch.tensor(data, [clips.Count, chunking.ChunkCount, chunking.ChunkFrames, bands]),
            torch.tensor(mask, [clips.Count, chunking.ChunkCount]),
            sums, squares, counts);
    }

    /// <summary>
    /// A dataset from arrays already in memory (synthetic data, benchmarks): <paramref name="inputs"/> is
    /// row-major [clips, C, m, F]; every chunk is treated as real.
    /// </summary>
    public static ChunkedDataset FromArrays(IReadOnlyList<DatasetClip> clips, float[] inputs, int chunkCount, int chunkFrames, int features)
    {
        var perClip = chunkCount * chunkFrames * features;
        if (inputs.Length != (long)clips.Count * perClip)
        {
            throw new ArgumentException($"expected {clips.Count} × {chunkCount} × {chunkFrames} × {features} values, got {inputs.Length}");
        }
        var sums = new double[clips.Count * features];
        var squares = new double[clips.Count * features];
        var counts = new long[clips.Count];
        for (var i = 0; i < clips.Count; i++)
        {
            for (var f = 0; f < chunkCount * chunkFrames; f++)
            {
                for (var b = 0; b < features; b++)
                {
                    double v = inputs[(long)i * perClip + f * features + b];
                    sums[i * features + b] += v;
                    squares[i * features + b] += v * v;
                }
            }
            counts[i] = chunkCount * chunkFrames;
        }
        var mask = Enumerable.Repeat(true, clips.Count * chunkCount).ToArray();
        return new ChunkedDataset(
            clips,
            torch.tensor(inputs, [clips.Count, chunkCount, chunkFrames, features]),
            torch.tensor(mask, [clips.Count, chunkCount]),
            sums, squares, counts);
    }

    /// <summary>Indices of the clips in <paramref name="split"/>, in dataset order.</summary>
    public int[] IndicesOf(string split) =>
        Enumerable.Range(0, Count).Where(i => Clips[i].Split == split).ToArray();

    /// <summary>Per-feature mean and standard deviation over every frame of the given clips (each frame once).</summary>
    public FeatureNormalization FitNormalization(IReadOnlyList<int> clipIndices)
    {
        if (clipIndices.Count == 0)
        {
            throw new ArgumentException("normalisation needs at least one training clip");
        }
        var bands = Features;
        var mean = new double[bands];
        var square = new double[bands];
        long frames = 0;
        foreach (var i in clipIndices)
        {
            for (var b = 0; b < bands; b++)
            {
                mean[b] += featureSums[i * bands + b];
                square[b] += featureSquares[i * bands + b];
            }
            frames += frameCounts[i];
        }
        var means = new float[bands];
        var stds = new float[bands];
        for (var b = 0; b < bands; b++)
        {
            var m = mean[b] / frames;
            means[b] = (float)m;
            stds[b] = (float)Math.Sqrt(Math.Max(square[b] / frames - m * m, 0));
        }
        return new FeatureNormalization(means, stds);
    }

    /// <summary>Standardises the inputs in place, once.</summary>
    public void Normalize(FeatureNormalization normalization)
    {
        if (Normalization is not null)
        {
            throw new InvalidOperationException("the dataset is already normalised");
        }
        if (normalization.Mean.Count != Features)
        {
            throw new ArgumentException($"normalisation has {normalization.Mean.Count} features, the data {Features}");
        }
        using (torch.NewDisposeScope())
        using (torch.no_grad())
        {
            var mean = torch.tensor(normalization.Mean.ToArray());
            var std = torch.tensor(normalization.Std.Select(s => Math.Max(s, FeatureNormalization.MinimumStd)).ToArray());
            Inputs.sub_(mean).div_(std);
        }
        Normalization = normalization;
    }

    public void Dispose()
    {
        Inputs.Dispose();
        ChunkMask.Dispose();
    }
}

/// <summary>Per-feature standardisation fitted on training clips; saved with every run (normalisation.json).</summary>
public sealed record FeatureNormalization(IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>Floor for a band's standard deviation, so a constant band (digital silence) does not divide by 0.</summary>
    public const float MinimumStd = 1e-5f;
}
