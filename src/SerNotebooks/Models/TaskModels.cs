using TorchSharp;
using TorchSharp.Modules;
using SerNotebooks.Pretext;
using static TorchSharp.torch;

namespace SerNotebooks.Models;

/// <summary>One pretext task's head as the pre-training model needs it (a regression task has one output, <paramref name="Classes"/> = 1).</summary>
public sealed record PretextHeadSpec(string TaskName, LabelGranularity Granularity, int Classes, LabelKind Kind = LabelKind.Classification);

/// <summary>
/// Pre-training model: the shared <see cref="SpeechEncoder"/> plus one head per task (per-chunk heads for
/// chunk tasks, an utterance softmax head for utterance tasks). <see cref="forward"/> returns each task's
/// logits: [B, C, K] for chunk tasks, [B, K] for utterance tasks; a regression task's predictions are [B, C].
/// </summary>
public sealed class PretrainingModel : nn.Module<Tensor, Tensor, IReadOnlyDictionary<string, Tensor>>
{
    private readonly SpeechEncoder encoder;
    private readonly ModuleDict<nn.Module<Tensor, Tensor>> heads = new();

    public PretrainingModel(ModelConfig config, IReadOnlyList<PretextHeadSpec> tasks) : base(nameof(PretrainingModel))
    {
        if (tasks.Count == 0)
        {
            throw new ArgumentException("pre-training needs at least one task");
        }
        encoder = new SpeechEncoder(config);
        Tasks = tasks;
        foreach (var task in tasks)
        {
            if (task.Kind == LabelKind.Regression ? task.Classes != 1 || task.Granularity != LabelGranularity.Chunk : task.Classes < 2)
            {
                throw new ArgumentException(task.Kind == LabelKind.Regression
                    ? $"regression task '{task.TaskName}' needs a chunk head with one output (got {task.Granularity}, {task.Classes})"
                    : $"task '{task.TaskName}' has {task.Classes} classes; a classifier needs at least 2");
            }
            nn.Module<Tensor, Tensor> head = task.Granularity == LabelGranularity.Chunk
                ? new ChunkClassificationHead(config.EmbeddingSize, task.Classes)
                : new UtteranceClassificationHead(config.EmbeddingSize, task.Classes);
            heads.Add(HeadKey(task.TaskName), head);
        }
        RegisterComponents();
    }

    public SpeechEncoder Encoder => encoder;

    public IReadOnlyList<PretextHeadSpec> Tasks { get; }

    /// <summary>
    /// The head of <paramref name="taskName"/>, a single linear layer: a chunk task's maps the [B, C, D] chunk
    /// embeddings of <see cref="EncoderOutput.Chunks"/> to [B, C, K] logits, an utterance task's the [B, D]
    /// <see cref="EncoderOutput.Utterance"/> to [B, K]. <see cref="forward"/> is <see cref="Encoder"/> followed by each head.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The model has no head for that task.</exception>
    public nn.Module<Tensor, Tensor> Head(string taskName)
    {
        ArgumentNullException.ThrowIfNull(taskName);
        if (!Tasks.Any(t => t.TaskName == taskName))
        {
            throw new KeyNotFoundException($"the model has no head for task '{taskName}' (its tasks: {string.Join(", ", Tasks.Select(t => t.TaskName))})");
        }
        return heads[HeadKey(taskName)];
    }

    public override IReadOnlyDictionary<string, Tensor> forward(Tensor chunks, Tensor chunkMask)
    {
        var encoded = encoder.forward(chunks, chunkMask);
        var logits = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var task in Tasks)
        {
            var head = heads[HeadKey(task.TaskName)];
            var output = head.forward(task.Granularity == LabelGranularity.Chunk ? encoded.Chunks : encoded.Utterance);
            logits[task.TaskName] = task.Kind == LabelKind.Regression ? output.squeeze(-1) : output;
        }
        return logits;
    }

    /// <summary>The chunk embeddings [B, C, D] alone (what a clustering task clusters).</summary>
    public Tensor ChunkEmbeddings(Tensor chunks, Tensor chunkMask) => encoder.forward(chunks, chunkMask).Chunks;

    /// <summary>New initial weights for a chunk task's head (<see cref="ChunkClassificationHead.Reinitialise"/>).</summary>
    /// <exception cref="KeyNotFoundException">The model has no head for that task.</exception>
    /// <exception cref="InvalidOperationException">The task is not a chunk task.</exception>
    public void ReinitialiseHead(string taskName) =>
        (Head(taskName) as ChunkClassificationHead
            ?? throw new InvalidOperationException($"task '{taskName}' has no chunk head to re-initialise")).Reinitialise();

    // State-dict keys are dotted paths; task names are kebab-case, which is safe, but dots would not be.
    private static string HeadKey(string taskName) => taskName.Replace('.', '_');
}

/// <summary>Downstream model: an encoder (pre-trained or random) plus a new emotion softmax head.</summary>
public sealed class EmotionClassifier : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly SpeechEncoder encoder;
    private readonly UtteranceClassificationHead head;

    public EmotionClassifier(ModelConfig config, int classes) : base(nameof(EmotionClassifier))
    {
        encoder = new SpeechEncoder(config);
        head = new UtteranceClassificationHead(config.EmbeddingSize, classes);
        RegisterComponents();
    }

    public SpeechEncoder Encoder => encoder;

    public UtteranceClassificationHead Head => head;

    /// <summary>[B, K] emotion logits.</summary>
    public override Tensor forward(Tensor chunks, Tensor chunkMask) => head.forward(encoder.forward(chunks, chunkMask).Utterance);
}
