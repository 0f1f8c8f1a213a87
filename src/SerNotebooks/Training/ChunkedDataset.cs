using System.Runtime.InteropServices;
using SerNotebooks.Data;
using SerNotebooks.Features;
using SerNotebooks.Features.Shards;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>One clip of a dataset: its manifest row and the split it belongs to in this run.</summary>
/// <param name="Id">The clip's manifest id.</param>
/// <param name="Speaker">Its speaker.</param>
/// <param name="Split">Its role in this run (train, dev or test).</param>
/// <param name="Emotion">The intended emotion; null for unlabelled clips.</param>
/// <param name="Raters">The raters' votes from the manifest's <c>votes_*</c> columns; null when it has none.</param>
public sealed record DatasetClip(string Id, string Speaker, string Split, string? Emotion, Data.CremaD.ClipPerception? Raters = null)
{
    /// <summary>The clip of a manifest row in the run's <paramref name="split"/>, with its rater votes when the manifest has them.</summary>
    public static DatasetClip FromManifest(ManifestEntry entry, string split) =>
        new(entry.Id, entry.Speaker, split, entry.Emotion, Data.CremaD.CremaDPerception.FromManifestColumns(entry));
}

/// <summary>
/// Every clip of a run as chunked log-mel features [clips, C, m, F] float32, so that a training step only takes rows:
/// either one in-memory tensor (<see cref="Build"/>, <see cref="FromArrays"/>: small corpora, notebooks, tests) or rows
/// read from a memory-mapped shard set on disk (<see cref="FromShards"/>: what training runs use, memory bounded by the
/// batch, see SHARDS.md). <see cref="ChunkMask"/> [clips, C] marks the chunks that carry frames of their own (a clip
/// shorter than one chunk has one real chunk; the chunker's copies of it are masked out of pooling).
/// </summary>
public sealed class ChunkedDataset : IDisposable
{
    private readonly double[]? featureSums;
    private readonly double[]? featureSquares;
    private readonly long[]? frameCounts;
    private readonly Tensor? inputs;
    private readonly FeatureShardSet? shards;
    private readonly long[]? shardRows;
    private readonly IDisposable? owned;
    private float[]? normalizationMean;
    private float[]? normalizationStd;

    private ChunkedDataset(IReadOnlyList<DatasetClip> clips, Tensor inputs, Tensor chunkMask, double[] sums, double[] squares, long[] counts)
        : this(clips, chunkMask, (int)inputs.shape[1], (int)inputs.shape[2], (int)inputs.shape[3])
    {
        this.inputs = inputs;
        featureSums = sums;
        featureSquares = squares;
        frameCounts = counts;
    }

    private ChunkedDataset(IReadOnlyList<DatasetClip> clips, FeatureShardSet shards, long[] rows, Tensor chunkMask, IDisposable? owned)
        : this(clips, chunkMask, shards.Geometry.ChunkCount, shards.Geometry.ChunkFrames, shards.Geometry.Bands)
    {
        this.shards = shards;
        shardRows = rows;
        this.owned = owned;
    }

    private ChunkedDataset(IReadOnlyList<DatasetClip> clips, Tensor chunkMask, int chunkCount, int chunkFrames, int features)
    {
        Clips = clips;
        ChunkMask = chunkMask;
        ChunkCount = chunkCount;
        ChunkFrames = chunkFrames;
        Features = features;
        IndexOf = clips.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<DatasetClip> Clips { get; }

    public IReadOnlyDictionary<string, int> IndexOf { get; }

    /// <summary>[clips, C, m, F] float32, in memory (standardised in place by <see cref="Normalize"/>).</summary>
    /// <exception cref="InvalidOperationException">The dataset is shard-backed: take rows with <see cref="TrainingBatch.Select(ChunkedDataset, IReadOnlyList{TaskLabelTensor}, IReadOnlyList{int})"/> or a <see cref="BatchLoader"/>.</exception>
    public Tensor Inputs => inputs ?? throw new InvalidOperationException(
        $"the dataset's features are in the shard set {shards?.Directory}, not in memory: take rows with TrainingBatch.Select or a BatchLoader");

    /// <summary>True when rows are read from a shard set on disk rather than an in-memory tensor.</summary>
    public bool IsShardBacked => shards is not null;

    /// <summary>The shard set behind a shard-backed dataset.</summary>
    public FeatureShardSet? Shards => shards;

    /// <summary>[clips, C] bool.</summary>
    public Tensor ChunkMask { get; }

    public int Count => Clips.Count;

    public int ChunkCount { get; }

    public int ChunkFrames { get; }

    public int Features { get; }

    /// <summary>Whether <see cref="Normalize"/> has been applied.</summary>
    public FeatureNormalization? Normalization { get; private set; }

    /// <summary>
    /// A dataset whose rows live in <paramref name="shards"/> (one row per clip: <see cref="ShardWindowing.ChunkPlan"/>);
    /// <paramref name="clips"/> keep their order (the run's), each found in the set by id. Only the chunk mask is held in
    /// memory. <paramref name="owned"/> (the set, a temporary folder) is disposed with the dataset.
    /// </summary>
    public static ChunkedDataset FromShards(IReadOnlyList<DatasetClip> clips, FeatureShardSet shards, IDisposable? owned = null)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Windowing != ShardWindowing.ChunkPlan)
        {
            throw new ArgumentException($"{shards.Directory}: a dataset of clips needs one row per clip (chunk-plan windowing), this set has {shards.Windowing}");
        }
        var rows = new List<(DatasetClip, long)>(clips.Count);
        foreach (var clip in clips)
        {
            var ordinal = shards.OrdinalOf(clip.Id);
            if (ordinal < 0)
            {
                throw new ArgumentException($"clip '{clip.Id}' is not in the shard set {shards.Directory}");
            }
            rows.Add((clip, shards.RowsOf(ordinal).FirstRow));
        }
        return FromShardRows(rows, shards, owned);
    }

    /// <summary>
    /// A dataset of the given rows of <paramref name="shards"/> (for a windowed set: one dataset row per window, each named
    /// by its <see cref="DatasetClip.Id"/>). <see cref="FitNormalization"/> counts each clip's frames once, whatever the
    /// number of its windows.
    /// </summary>
    internal static ChunkedDataset FromShardRows(IReadOnlyList<(DatasetClip Clip, long Row)> rows, FeatureShardSet shards, IDisposable? owned = null)
    {
        var chunks = shards.Geometry.ChunkCount;
        var mask = new bool[(long)rows.Count * chunks];
        for (var i = 0; i < rows.Count; i++)
        {
            shards.RowInfo(rows[i].Row).ChunkMask.CopyTo(mask.AsSpan(i * chunks, chunks));
        }
        return new ChunkedDataset(rows.Select(r => r.Clip).ToArray(), shards, rows.Select(r => r.Row).ToArray(), torch.tensor(mask, [rows.Count, chunks]), owned);
    }

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
        var datasetClips = clips.Select(c => DatasetClip.FromManifest(c.Entry, c.Split)).ToArray();
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
            // Summed in the same order from the same per-clip float64 sums either way, so both paths give the same bits.
            if (shards is not null)
            {
                if (shards.RowInfo(shardRows![i]).Window != 0)
                {
                    // Every window of a clip carries the clip's statistics; count them once.
                    continue;
                }
                var statistics = shards.ReadStatistics(shardRows[i]);
                for (var b = 0; b < bands; b++)
                {
                    mean[b] += statistics.Sums[b];
                    square[b] += statistics.Squares[b];
                }
                frames += statistics.Frames;
                continue;
            }
            for (var b = 0; b < bands; b++)
            {
                mean[b] += featureSums![i * bands + b];
                square[b] += featureSquares![i * bands + b];
            }
            frames += frameCounts![i];
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

    /// <summary>
    /// Standardises the inputs, once: in place in memory; a shard-backed dataset standardises each batch it reads, with the
    /// same operations. Asking again with the same statistics does nothing: a session restarted after a native libtorch
    /// error (NativeErrorRestarts) normalises the dataset it shares with the failed session again.
    /// </summary>
    public void Normalize(FeatureNormalization normalization)
    {
        if (Normalization is not null)
        {
            if (Normalization.Mean.SequenceEqual(normalization.Mean) && Normalization.Std.SequenceEqual(normalization.Std))
            {
                return;
            }
            throw new InvalidOperationException("the dataset is already normalised, with other statistics");
        }
        if (normalization.Mean.Count != Features)
        {
            throw new ArgumentException($"normalisation has {normalization.Mean.Count} features, the data {Features}");
        }
        normalizationMean = normalization.Mean.ToArray();
        normalizationStd = normalization.Std.Select(s => Math.Max(s, FeatureNormalization.MinimumStd)).ToArray();
        if (inputs is not null)
        {
            using (torch.NewDisposeScope())
            using (torch.no_grad())
            {
                inputs.sub_(torch.tensor(normalizationMean)).div_(torch.tensor(normalizationStd));
            }
        }
        Normalization = normalization;
    }

    /// <summary>
    /// The raw (not standardised) rows <paramref name="clipIndices"/> of a shard-backed dataset, row-major [B, C, m, F];
    /// null for an in-memory one (its rows are sliced from the tensor). Safe to call from a prefetch thread.
    /// </summary>
    internal float[]? ReadRows(IReadOnlyList<int> clipIndices, float[]? into = null)
    {
        if (shards is null)
        {
            return null;
        }
        var perRow = checked((int)shards.Geometry.ValuesPerRow);
        var values = into is not null && into.Length == clipIndices.Count * perRow ? into : new float[checked(clipIndices.Count * perRow)];
        for (var b = 0; b < clipIndices.Count; b++)
        {
            shards.ReadRow(shardRows![clipIndices[b]], values.AsSpan(b * perRow, perRow));
        }
        return values;
    }

    /// <summary>
    /// [B, C, m, F] inputs of rows <paramref name="index"/>: sliced from memory, or made from <paramref name="raw"/>
    /// (<see cref="ReadRows"/>) and standardised as <see cref="Normalize"/> does the in-memory tensor (sub_ then div_,
    /// float32, elementwise: the same bits).
    /// </summary>
    internal Tensor SelectInputs(Tensor index, float[]? raw)
    {
        if (inputs is not null)
        {
            return inputs.index_select(0, index);
        }
        var rows = index.shape[0];
        raw ??= ReadRows(index.data<long>().Select(i => (int)i).ToArray());
        // Copied into a tensor libtorch allocates (torch.tensor(float[]) would clone the array on the managed heap and
        // pin the clone until the tensor is freed: a large-object allocation per batch, and garbage collections during
        // training steps, which TorchSharp's native calls are not safe against, see TRAINING.md).
        var batch = torch.empty([rows, ChunkCount, ChunkFrames, Features], ScalarType.Float32);
        batch.bytes = MemoryMarshal.AsBytes(raw!.AsSpan());
        if (normalizationMean is not null)
        {
            using (torch.no_grad())
            {
                batch.sub_(torch.tensor(normalizationMean)).div_(torch.tensor(normalizationStd!));
            }
        }
        return batch;
    }

    public void Dispose()
    {
        inputs?.Dispose();
        ChunkMask.Dispose();
        owned?.Dispose();
    }
}

/// <summary>Per-feature standardisation fitted on training clips; saved with every run (normalisation.json).</summary>
public sealed record FeatureNormalization(IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>Floor for a band's standard deviation, so a constant band (digital silence) does not divide by 0.</summary>
    public const float MinimumStd = 1e-5f;
}
