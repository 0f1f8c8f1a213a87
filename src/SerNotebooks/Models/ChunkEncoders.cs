using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SerNotebooks.Models;

/// <summary>
/// [N chunks, m frames, F features] → [N, <see cref="ModelConfig.EmbeddingSize"/>]: <see cref="ModelConfig.Layers"/> ×
/// (convolution over time, batch norm, ReLU), then temporal mean ⊕ max.
/// </summary>
/// <remarks>
/// Each layer is a Conv1d over time with the bands as input channels, computed as a Conv2d with a 1 × k
/// kernel on [N, F, 1, m] (and BatchNorm2d, which normalises per channel over the same N × m values as
/// BatchNorm1d would): the same function and parameter count. On this machine libtorch 2.10's CPU Conv2d path
/// was faster than its Conv1d path for these shapes (about 1.3–1.6× for forward + backward; see TRAINING.md).
/// </remarks>
public sealed class ConvChunkEncoder : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> layers = new();

    public ConvChunkEncoder(ModelConfig config) : base(nameof(ConvChunkEncoder))
    {
        var inputs = config.InputFeatures;
        for (var i = 0; i < config.Layers; i++)
        {
            layers.Add(nn.Sequential(
                ("conv", nn.Conv2d(inputs, config.ConvChannels, (1, config.ConvKernel), padding: (0, config.ConvKernel / 2))),
                ("norm", nn.BatchNorm2d(config.ConvChannels)),
                ("relu", nn.ReLU())));
            inputs = config.ConvChannels;
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor chunks)
    {
        var x = chunks.transpose(1, 2).unsqueeze(2); // [N, bands, 1, time]
        foreach (var layer in layers)
        {
            x = layer.forward(x);
        }
        return torch.cat([x.mean([2, 3]), x.amax([2, 3])], 1);
    }
}

/// <summary>The lab's per-chunk LSTM: stacked LSTM over the frames, the last step's output, batch norm.</summary>
public sealed class LstmChunkEncoder : nn.Module<Tensor, Tensor>
{
    private readonly LSTM lstm;
    private readonly BatchNorm1d norm;

    public LstmChunkEncoder(ModelConfig config) : base(nameof(LstmChunkEncoder))
    {
        lstm = nn.LSTM(config.InputFeatures, config.LstmHidden, config.Layers, batchFirst: true);
        norm = nn.BatchNorm1d(config.LstmHidden);
        RegisterComponents();
    }

    public override Tensor forward(Tensor chunks)
    {
        var (output, _, _) = lstm.forward(chunks);
        return norm.forward(output[.., -1, ..]);
    }
}

/// <summary>
/// Attention pooling over chunks: score_k = vᵀ tanh(W h_k), softmax over the valid chunks only (masked chunks
/// get zero weight), utterance = Σ_k α_k h_k.
/// </summary>
public sealed class AttentionPooling : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Linear score;

    public AttentionPooling(int embedding, int attentionHidden) : base(nameof(AttentionPooling))
    {
        hidden = nn.Linear(embedding, attentionHidden);
        score = nn.Linear(attentionHidden, 1);
        RegisterComponents();
    }

    /// <param name="chunks">[B, C, D] chunk embeddings.</param>
    /// <param name="chunkMask">[B, C] bool, true for chunks to pool; every row needs at least one.</param>
    public override Tensor forward(Tensor chunks, Tensor chunkMask)
    {
        var scores = score.forward(torch.tanh(hidden.forward(chunks))).squeeze(-1);
        var weights = scores.masked_fill(chunkMask.logical_not(), float.NegativeInfinity).softmax(1);
        return (weights.unsqueeze(-1) * chunks).sum(1);
    }
}
