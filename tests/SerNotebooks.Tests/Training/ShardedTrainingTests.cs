using SerNotebooks.Features;
using SerNotebooks.Features.Shards;
using SerNotebooks.Pretext;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Training;

/// <summary>Training reads its features from shards on disk and gives exactly the numbers of the in-memory path.</summary>
[Collection("training tiny corpus")]
public class ShardedTrainingTests(TrainingCorpusFixture corpus)
{
    [Fact]
    public void FineTuningThroughShardsEndsWithTheInMemoryPathsMetricsAndPredictions()
    {
        var config = corpus.FineTuning(epochs: 3);
        var sharded = corpus.NewRunDirectory("sharded");
        var viaShards = TrainingRun.Run(config, sharded);

        var inMemory = corpus.NewRunDirectory("in-memory");
        using var dataset = ChunkedDataset.Build(TrainingRun.SelectClips(config), new FeatureExtractor(cache: new FeatureCache(corpus.FeatureCache)), config.Chunking);
        var viaMemory = TrainingRun.RunInMemory(config, inMemory, dataset, []);

        Assert.Equal(viaMemory.Metrics, viaShards.Metrics);
        Assert.Equal(viaMemory.BestEpoch, viaShards.BestEpoch);
        Assert.Equal(File.ReadAllText(new RunFolder(inMemory).PredictionsPath), File.ReadAllText(new RunFolder(sharded).PredictionsPath));
        Assert.Equal(File.ReadAllText(new RunFolder(inMemory).NormalizationPath), File.ReadAllText(new RunFolder(sharded).NormalizationPath));
        Assert.Equal(WithoutSeconds(new RunFolder(inMemory)), WithoutSeconds(new RunFolder(sharded)));
    }

    [Fact]
    public void PretrainingThroughShardsEndsWithTheInMemoryPathsMetrics()
    {
        var config = corpus.Pretraining(new TaskWeight("energy-std"), new TaskWeight("loudness", 0.5)) with { PretextDevSpeakerShare = 0.25 };
        var sharded = corpus.NewRunDirectory("pretrain-sharded");
        var viaShards = TrainingRun.Run(config, sharded, new RuleLabelSource());

        var extractor = new FeatureExtractor(cache: new FeatureCache(corpus.FeatureCache));
        using var dataset = ChunkedDataset.Build(TrainingRun.SelectClips(config), extractor, config.Chunking);
        var labels = new RuleLabelSource().GetLabelSets(new PretextLabelRequest(
            config.Manifests.Select(SerNotebooks.Data.Manifest.Load).ToArray(), config.Tasks.Select(t => t.Name).ToArray(),
            dataset.Clips.Where(c => c.Split == TrainingRun.TrainRole).Select(c => c.Id).ToHashSet(StringComparer.Ordinal), config.Chunking, extractor));
        var inMemory = corpus.NewRunDirectory("pretrain-in-memory");
        var viaMemory = TrainingRun.RunInMemory(config, inMemory, dataset, labels);

        Assert.Contains("dev_objective", viaShards.Metrics.Keys);
        Assert.Equal(viaMemory.Metrics, viaShards.Metrics);
        Assert.Equal(WithoutSeconds(new RunFolder(inMemory)), WithoutSeconds(new RunFolder(sharded)));
    }

    [Fact]
    public void ASecondBuildOverTheSameClipsReusesTheShardsWithoutExtracting()
    {
        var config = corpus.FineTuning();
        var clips = TrainingRun.SelectClips(config)
            .Select(c => new ShardClip(c.Entry.Id, c.Manifest.Resolve(c.Entry.AudioPath), FeatureCache.HashFile(c.Manifest.Resolve(c.Entry.AudioPath))))
            .ToArray();
        var root = Path.Combine(corpus.Root, "reuse-" + Guid.NewGuid().ToString("N")[..8]);
        var cacheFolder = Path.Combine(root, "features");

        var firstCache = new FeatureCache(cacheFolder);
        string directory;
        using (var first = ShardSetBuilder.Ensure(clips, new FeatureExtractor(cache: firstCache), config.Chunking, ShardPrecision.Float32,
            ShardWindowing.ChunkPlan, Path.Combine(root, "shards"), clipsPerShard: 16))
        {
            directory = first.Directory;
            Assert.Equal(clips.Length, first.RowCount);
        }
        Assert.Equal(clips.Length, firstCache.Statistics.Misses);
        var stamps = Directory.GetFiles(directory).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        // Another run, clips in another order: same key, same folder, nothing extracted or written.
        var secondCache = new FeatureCache(cacheFolder);
        using (var second = ShardSetBuilder.Ensure(clips.Reverse().ToArray(), new FeatureExtractor(cache: secondCache), config.Chunking,
            ShardPrecision.Float32, ShardWindowing.ChunkPlan, Path.Combine(root, "shards"), clipsPerShard: 16))
        {
            Assert.Equal(directory, second.Directory);
        }
        Assert.Equal(new FeatureCacheStatistics(0, 0, 0), secondCache.Statistics);
        Assert.Equal(stamps, Directory.GetFiles(directory).ToDictionary(f => f, File.GetLastWriteTimeUtc));

        // Other chunking: another set.
        using var other = ShardSetBuilder.Ensure(clips, new FeatureExtractor(cache: secondCache), config.Chunking with { ChunkCount = 3 },
            ShardPrecision.Float32, ShardWindowing.ChunkPlan, Path.Combine(root, "shards"));
        Assert.NotEqual(directory, other.Directory);
    }

    [Fact]
    public async Task ABuilderWaitsWhileAnotherProcessHoldsTheSetsBuildLock()
    {
        var config = corpus.FineTuning();
        var clips = TrainingRun.SelectClips(config).Take(6)
            .Select(c => new ShardClip(c.Entry.Id, c.Manifest.Resolve(c.Entry.AudioPath), FeatureCache.HashFile(c.Manifest.Resolve(c.Entry.AudioPath))))
            .ToArray();
        var extractor = new FeatureExtractor(cache: new FeatureCache(corpus.FeatureCache));
        var root = Path.Combine(corpus.Root, "lock-" + Guid.NewGuid().ToString("N")[..8]);
        var key = Convert.ToHexStringLower(ShardSetBuilder.Key(clips, extractor.Config, config.Chunking, ShardWindowing.ChunkPlan, ShardPrecision.Float32));
        Directory.CreateDirectory(root);
        var held = new FileStream(Path.Combine(root, key[..24]) + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var build = Task.Run(() => ShardSetBuilder.Ensure(clips, extractor, config.Chunking, ShardPrecision.Float32, ShardWindowing.ChunkPlan, root));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(build.IsCompleted);
        held.Dispose();
        using var set = await build.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Path.Combine(root, key[..24]), set.Directory);
        Assert.Equal(6, set.RowCount);
    }

    [Fact]
    public void TheLoaderGivesTheSameBatchesAsInMemorySlicingInTheGivenOrder()
    {
        var config = corpus.FineTuning();
        var extractor = new FeatureExtractor(cache: new FeatureCache(corpus.FeatureCache));
        var clips = TrainingRun.SelectClips(config);
        using var inMemory = ChunkedDataset.Build(clips, extractor, config.Chunking);
        var run = corpus.NewRunDirectory("loader");
        TrainingRun.Run(config with { Epochs = 1 }, run); // builds the run's shard set
        var shardClips = clips.Select(c => new ShardClip(c.Entry.Id, c.Manifest.Resolve(c.Entry.AudioPath), extractor.Cache!.ContentHash(c.Manifest.Resolve(c.Entry.AudioPath)))).ToArray();
        var set = ShardSetBuilder.Ensure(shardClips, extractor, config.Chunking, ShardPrecision.Float32, ShardWindowing.ChunkPlan,
            Path.Combine(corpus.FeatureCache, "shards"));
        using var sharded = ChunkedDataset.FromShards(inMemory.Clips, set, set);
        Assert.True(sharded.IsShardBacked);
        Assert.Throws<InvalidOperationException>(() => sharded.Inputs);
        var normalization = inMemory.FitNormalization(inMemory.IndicesOf(TrainingRun.TrainRole));
        Assert.Equal(normalization, sharded.FitNormalization(sharded.IndicesOf(TrainingRun.TrainRole)), new NormalizationComparer());
        inMemory.Normalize(normalization);
        sharded.Normalize(normalization);
        var order = TrainingRun.Shuffle(Enumerable.Range(0, inMemory.Count).ToArray(), 17);
        var batches = order.Chunk(5).ToArray();
        using var loader = new BatchLoader(sharded, batches, prefetch: 2);
        var seen = 0;
        foreach (var rows in loader.Read())
        {
            Assert.Equal(batches[seen], rows.ClipIndices);
            Assert.NotNull(rows.RawInputs);
            using var a = TrainingBatch.Select(inMemory, [], batches[seen]);
            using var b = TrainingBatch.Select(sharded, [], rows);
            Assert.Equal(a.Inputs.data<float>().ToArray(), b.Inputs.data<float>().ToArray());
            Assert.Equal(a.ChunkMask.data<bool>().ToArray(), b.ChunkMask.data<bool>().ToArray());
            seen++;
        }
        Assert.Equal(batches.Length, seen);
    }

    private static string[] WithoutSeconds(RunFolder folder) =>
        File.ReadAllLines(Path.Combine(folder.Directory, "metrics.csv")).Select(line => string.Join(',', line.Split(',').SkipLast(1))).ToArray();

    private sealed class NormalizationComparer : IEqualityComparer<FeatureNormalization>
    {
        public bool Equals(FeatureNormalization? x, FeatureNormalization? y) =>
            x is not null && y is not null && x.Mean.SequenceEqual(y.Mean) && x.Std.SequenceEqual(y.Std);

        public int GetHashCode(FeatureNormalization obj) => 0;
    }
}
