using SerNotebooks.Features;
using SerNotebooks.Models;

namespace SerNotebooks.Ablation;

/// <summary>
/// How big an ablation is: model size, chunking and training lengths. Profiles are data, so a user can copy
/// one and change a number; the numbers of the built-in ones are explained on each.
/// </summary>
/// <param name="Name">tiny, demo or paper.</param>
/// <param name="Model">Encoder sizes.</param>
/// <param name="Chunking">Chunk length m (frames) and count C; the labelling uses the same chunking.</param>
/// <param name="BatchSize">Utterances per step.</param>
/// <param name="PretrainEpochs">Epochs of every pre-training run.</param>
/// <param name="FinetuneEpochs">Maximum epochs of every fine-tuning run.</param>
/// <param name="Patience">Fine-tuning early stopping (0 = never).</param>
/// <param name="LearningRate">Adam's learning rate, pre-training and fine-tuning.</param>
/// <param name="Threads">libtorch intra-op threads (1 is fastest on a loaded 2-core machine, TRAINING.md).</param>
public sealed record AblationProfile(
    string Name,
    ModelConfig Model,
    ChunkingConfig Chunking,
    int BatchSize,
    int PretrainEpochs,
    int FinetuneEpochs,
    int Patience,
    double LearningRate,
    int Threads)
{
    /// <summary>
    /// Share of the pre-training corpus's speakers held out as the pretext dev set (TrainingConfig.PretextDevSpeakerShare):
    /// the best pre-training epoch is the one with the lowest pretext dev loss, and the per-task information gain is
    /// measured on these speakers.
    /// </summary>
    public double PretextDevSpeakerShare { get; init; } = 0.2;

    /// <summary>Pre-training early stopping on the pretext dev loss (0 = run all <see cref="PretrainEpochs"/>).</summary>
    public int PretrainPatience { get; init; }

    /// <summary>
    /// Fine-tuning: the encoder's learning rate as a multiple of <see cref="LearningRate"/>. The same for the baseline and
    /// the pre-trained configurations, so that they differ only in the encoder's initial weights.
    /// </summary>
    public double EncoderLearningRateScale { get; init; } = 1.0;

    /// <summary>Fine-tuning: head-only epochs before the encoder trains (the same for every configuration).</summary>
    public int EncoderWarmupEpochs { get; init; }

    /// <summary>
    /// Seconds-scale, for tests: 16 conv channels, 4 chunks of 40 frames, 2 pre-training and 4 fine-tuning
    /// epochs on the tiny demo corpus (40 unlabelled and 58 labelled clips): well under a second per epoch.
    /// </summary>
    public static AblationProfile Tiny { get; } = new(
        "tiny",
        new ModelConfig { ConvChannels = 16, AttentionHidden = 8, Dropout = 0.1 },
        new ChunkingConfig { ChunkFrames = 40, ChunkCount = 4 },
        BatchSize: 8, PretrainEpochs: 2, FinetuneEpochs: 4, Patience: 0, LearningRate: 3e-3, Threads: 1)
    {
        // 8 unlabelled speakers: 2 of them are the pretext dev set.
        PretextDevSpeakerShare = 0.25,
    };

    /// <summary>
    /// Fits about 10 minutes on 2 cores with the demo corpus (1,152 unlabelled and 288 labelled clips) and
    /// 3 seeds: 21 pre-training + 24 fine-tuning runs. Measured (ABLATION.md): with 32 channels, 3 pre-training and
    /// 12 fine-tuning epochs the whole command took 4 min 18 s (corpus generation 37 s, labelling and features
    /// about 60 s, a pre-training epoch 1.3 s = 36 steps of batch 32 on 6 chunks × 50 frames); these numbers
    /// spend the rest of the budget on a wider encoder and longer training. Pre-training holds out 13 of the 64
    /// unlabelled speakers as the pretext dev set and runs until its loss has not improved for 4 epochs (at most 30:
    /// 5 epochs, the earlier setting, ended with every loss still falling). Fine-tuning trains the head alone for
    /// 2 epochs first, so the random head's first gradients do not rewrite a pre-trained encoder; the baseline gets
    /// the same 2 epochs, so the configurations still differ only in the encoder's initial weights.
    /// </summary>
    public static AblationProfile Demo { get; } = new(
        "demo",
        new ModelConfig { ConvChannels = 48, AttentionHidden = 16, Dropout = 0.2 },
        new ChunkingConfig { ChunkFrames = 50, ChunkCount = 6 },
        BatchSize: 32, PretrainEpochs: 30, FinetuneEpochs: 20, Patience: 6, LearningRate: 2e-3, Threads: 1)
    {
        PretextDevSpeakerShare = 0.2,
        PretrainPatience = 4,
        EncoderWarmupEpochs = 2,
    };

    /// <summary>
    /// The paper-sized setup (docs/METHOD.md, "Pre-training and fine-tuning") on the user's manifests: the
    /// default encoder (128 channels, D = 256), m = 100 frames (1 s) and C = 11 chunks, batch 32, Adam at 1e-3,
    /// up to 20 pre-training epochs (stopping after 5 without a better pretext dev loss, 10 % of the speakers held out)
    /// and up to 50 fine-tuning epochs with patience 5 (TRAINING.md defaults).
    /// </summary>
    public static AblationProfile Paper { get; } = new(
        "paper",
        new ModelConfig(),
        new ChunkingConfig(),
        BatchSize: 32, PretrainEpochs: 20, FinetuneEpochs: 50, Patience: 5, LearningRate: 1e-3, Threads: 2)
    {
        PretextDevSpeakerShare = 0.1,
        PretrainPatience = 5,
    };

    public static IReadOnlyList<AblationProfile> BuiltIn { get; } = [Tiny, Demo, Paper];

    /// <summary>The built-in profile called <paramref name="name"/>; the error lists the known ones.</summary>
    public static AblationProfile Named(string name) =>
        BuiltIn.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown profile '{name}'; known profiles: {string.Join(", ", BuiltIn.Select(p => p.Name))}", nameof(name));
}
