namespace SerNotebooks.Models;

/// <summary>Which network encodes one chunk of log-mel frames.</summary>
public enum ChunkEncoderKind
{
    /// <summary>Stacked Conv1d over time (batch norm, ReLU), then temporal mean and max pooling. Fast on CPU.</summary>
    Conv,

    /// <summary>The MSP lab's reference: stacked LSTM, last time step, batch norm. About 4× slower on CPU.</summary>
    Lstm,
}

/// <summary>
/// Sizes of the encoder and heads (docs/METHOD.md, "Encoder, heads and losses"). Defaults are sized for a
/// 2-core CPU: one training step on 32 utterances × 11 chunks × 100 frames takes about a tenth of a second
/// with the Conv encoder.
/// </summary>
public sealed record ModelConfig
{
    public ChunkEncoderKind Encoder { get; init; } = ChunkEncoderKind.Conv;

    /// <summary>Input features per frame (log-mel bands).</summary>
    public int InputFeatures { get; init; } = 64;

    /// <summary>Conv encoder: channels of every convolution layer.</summary>
    public int ConvChannels { get; init; } = 128;

    /// <summary>Conv encoder: kernel width in frames (odd, so "same" padding keeps the length).</summary>
    public int ConvKernel { get; init; } = 5;

    /// <summary>Number of Conv1d layers (Conv encoder) or LSTM layers (LSTM encoder).</summary>
    public int Layers { get; init; } = 2;

    /// <summary>LSTM encoder: hidden size.</summary>
    public int LstmHidden { get; init; } = 128;

    /// <summary>Hidden size of the attention scorer that pools chunks into the utterance embedding.</summary>
    public int AttentionHidden { get; init; } = 64;

    /// <summary>Dropout applied to chunk embeddings before the heads (0 disables it).</summary>
    public double Dropout { get; init; } = 0.2;

    /// <summary>Width of one chunk embedding: mean ⊕ max pooling for Conv, the last hidden state for LSTM.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EmbeddingSize => Encoder == ChunkEncoderKind.Conv ? 2 * ConvChannels : LstmHidden;

    public void Validate()
    {
        static void Positive(int value, string name)
        {
            if (value < 1)
            {
                throw new ArgumentException($"model.{name} must be ≥ 1, got {value}");
            }
        }
        Positive(InputFeatures, "inputFeatures");
        Positive(ConvChannels, "convChannels");
        Positive(ConvKernel, "convKernel");
        Positive(Layers, "layers");
        Positive(LstmHidden, "lstmHidden");
        Positive(AttentionHidden, "attentionHidden");
        if (ConvKernel % 2 == 0)
        {
            throw new ArgumentException($"model.convKernel must be odd (same-length padding), got {ConvKernel}");
        }
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout))
        {
            throw new ArgumentException($"model.dropout must be in [0, 1), got {Dropout}");
        }
    }
}
