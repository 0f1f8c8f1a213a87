using SerNotebooks.Demo;
using SerNotebooks.Features;
using SerNotebooks.Models;
using SerNotebooks.Native;
using SerNotebooks.Pretext;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Training;

/// <summary>The tiny demo corpus and a feature cache, generated once for every training test.</summary>
public sealed class TrainingCorpusFixture : IDisposable
{
    public TrainingCorpusFixture()
    {
        TorchRuntime.EnsureLoadable();
        Root = Path.Combine(Path.GetTempPath(), "sernb-training-" + Guid.NewGuid().ToString("N"));
        DemoCorpusGenerator.Generate(Path.Combine(Root, "corpus"), DemoCorpusSize.Tiny);
        PretrainingManifest = Path.Combine(Root, "corpus", DemoCorpusGenerator.PretrainingManifestFolder);
        CremaManifest = Path.Combine(Root, "corpus", DemoCorpusGenerator.CremaManifestFolder);
        FeatureCache = Path.Combine(Root, "features");
    }

    public string Root { get; }

    public string PretrainingManifest { get; }

    public string CremaManifest { get; }

    public string FeatureCache { get; }

    /// <summary>Small enough that an epoch over the tiny corpus takes a fraction of a second on 2 cores.</summary>
    public static ModelConfig SmallModel => new() { ConvChannels = 16, AttentionHidden = 8, Dropout = 0.1 };

    public static ChunkingConfig SmallChunking => new() { ChunkFrames = 40, ChunkCount = 4 };

    public string NewRunDirectory(string name) => Path.Combine(Root, "runs", name + "-" + Guid.NewGuid().ToString("N")[..8]);

    public TrainingConfig Pretraining(params TaskWeight[] tasks) => new()
    {
        Kind = RunKind.Pretrain,
        Manifests = [PretrainingManifest],
        Tasks = tasks,
        Model = SmallModel,
        Chunking = SmallChunking,
        Optimizer = new OptimizerConfig { LearningRate = 3e-3 },
        BatchSize = 8,
        Epochs = 2,
        Seed = 11,
        Threads = 1,
        FeatureCache = FeatureCache,
    };

    /// <summary>The labelling pipeline over <paramref name="registry"/>'s tasks, with this corpus's feature cache and chunking.</summary>
    public PretextLabelling Labelling(PretextTaskRegistry registry) =>
        new(registry, new FeatureExtractor(cache: new FeatureCache(FeatureCache)), SmallChunking) { MaxDegreeOfParallelism = 2 };

    /// <summary>Actors 1001–1002 train, 1003 dev, 1004 test: a fixed override, so these tests do not depend on the generated actor split.</summary>
    public TrainingConfig FineTuning(int epochs = 4) => new()
    {
        Kind = RunKind.Finetune,
        Manifests = [CremaManifest],
        SpeakerSplits = new Dictionary<string, string> { ["1001"] = "train", ["1002"] = "train", ["1003"] = "dev", ["1004"] = "test" },
        Model = SmallModel,
        Chunking = SmallChunking,
        Optimizer = new OptimizerConfig { LearningRate = 3e-3 },
        BatchSize = 8,
        Epochs = epochs,
        Patience = 0,
        Seed = 5,
        Threads = 1,
        FeatureCache = FeatureCache,
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition("training tiny corpus")]
public sealed class TrainingCorpusCollection : ICollectionFixture<TrainingCorpusFixture>
{
    public const string Name = "training tiny corpus";
}
