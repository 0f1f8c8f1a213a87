using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Models;

/// <summary>What the upstream encoder gives the heads for a batch.</summary>
/// <param name="Chunks">[B, C, D] chunk embeddings (after dropout in training mode).</param>
/// <param name="Utterance">[B, D] attention-pooled utterance embedding.</param>
public readonly record struct EncoderOutput(Tensor Chunks, Tensor Utterance);

/// <summary>
/// The upstream model (s3prl's sense): per-chunk encoder + attention pooling. Heads live in separate modules
/// so that this state dict is what pre-training hands to fine-tuning (<see cref="Save"/>/<see cref="Load"/>).
/// </summary>
public sealed class SpeechEncoder : nn.Module<Tensor, Tensor, EncoderOutput>
{
    private readonly nn.Module<Tensor, Tensor> chunkEncoder;
    private readonly AttentionPooling pooling;
    private readonly TorchSharp.Modules.Dropout dropout;

    public SpeechEncoder(ModelConfig config) : base(nameof(SpeechEncoder))
    {
        config.Validate();
        Config = config;
        chunkEncoder = config.Encoder == ChunkEncoderKind.Conv ? new ConvChunkEncoder(config) : new LstmChunkEncoder(config);
        pooling = new AttentionPooling(config.EmbeddingSize, config.AttentionHidden);
        dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    /// <param name="chunks">[B, C, m, F] normalised log-mel chunks.</param>
    /// <param name="chunkMask">[B, C] bool: chunks that carry new frames (duplicates of a short clip are masked).</param>
    public override EncoderOutput forward(Tensor chunks, Tensor chunkMask)
    {
        var batch = chunks.shape[0];
        var count = chunks.shape[1];
        var flat = chunks.reshape(batch * count, chunks.shape[2], chunks.shape[3]);
        var embedded = dropout.forward(chunkEncoder.forward(flat).reshape(batch, count, -1));
        return new EncoderOutput(embedded, pooling.forward(embedded, chunkMask));
    }

    /// <summary>Writes the encoder's state dict (parameters and batch-norm statistics) atomically.</summary>
    public void Save(string path) => ModelFiles.SaveAtomically(this, path);

    /// <summary>Loads a state dict written by <see cref="Save"/>; every tensor must match this configuration.</summary>
    public void Load(string path) => ModelFiles.Load(this, path);
}

/// <summary>A linear classifier applied to every chunk embedding: [B, C, D] → [B, C, K].</summary>
public sealed class ChunkClassificationHead : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Linear linear;

    public ChunkClassificationHead(int embedding, int classes) : base(nameof(ChunkClassificationHead))
    {
        linear = nn.Linear(embedding, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor chunkEmbeddings) => linear.forward(chunkEmbeddings);

    /// <summary>
    /// Draws new weights from the torch generator with <c>nn.Linear</c>'s own initialisation, in place (an
    /// optimiser holding the parameters keeps them): a clustering task's classes change meaning when it re-clusters.
    /// </summary>
    public void Reinitialise()
    {
        using var fresh = nn.Linear(linear.in_features, linear.out_features);
        using var _ = torch.no_grad();
        linear.weight!.copy_(fresh.weight!);
        linear.bias!.copy_(fresh.bias!);
    }
}

/// <summary>A softmax classifier on the utterance embedding: [B, D] → [B, K] logits.</summary>
public sealed class UtteranceClassificationHead : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Linear linear;

    public UtteranceClassificationHead(int embedding, int classes) : base(nameof(UtteranceClassificationHead))
    {
        linear = nn.Linear(embedding, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor utteranceEmbedding) => linear.forward(utteranceEmbedding);
}

internal static class ModelFiles
{
    public static void SaveAtomically(nn.Module module, string path) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            module.save(writer);
            writer.Flush();
        });

    public static void Load(nn.Module module, string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"model checkpoint '{path}' does not exist", path);
        }
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            module.load(reader, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"{path}: not a state dict for this model configuration ({e.Message})", e);
        }
    }
}
