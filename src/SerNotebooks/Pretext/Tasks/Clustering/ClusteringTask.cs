using SerNotebooks.Pretext.Tasks.EnergyVariation;

namespace SerNotebooks.Pretext.Tasks.Clustering;

/// <summary>Settings of <see cref="ClusteringTask"/>.</summary>
public sealed record ClusteringOptions
{
    /// <summary>K: the k-means clusters, and so the classes of the task's head.</summary>
    public int Clusters { get; init; } = 8;

    /// <summary>Re-cluster (and re-initialise the head) at the start of epoch 1 and every this many epochs after it.</summary>
    public int ReclusterEvery { get; init; } = 1;

    /// <summary>A chunk takes part when it has at least this many original speech frames (energy-variation's rule).</summary>
    public int MinSpeechFrames { get; init; } = 10;

    public void Validate()
    {
        if (Clusters < 2)
        {
            throw new ArgumentException($"ClusteringOptions.Clusters must be ≥ 2, got {Clusters}.");
        }
        if (ReclusterEvery < 1)
        {
            throw new ArgumentException($"ClusteringOptions.ReclusterEvery must be ≥ 1, got {ReclusterEvery}.");
        }
        if (MinSpeechFrames < 2)
        {
            throw new ArgumentException($"ClusteringOptions.MinSpeechFrames must be ≥ 2 (energy-variation's rule), got {MinSpeechFrames}.");
        }
    }
}

/// <summary>
/// DeepEmoCluster (beyond the paper; docs/PAPER "DeepEmoCluster"): a fourth, label-free pretext task. Its classes are
/// k-means clusters of the encoder's own chunk embeddings, assigned by the pre-training objective while it trains
/// (<see cref="LabelKind.PseudoClasses"/>; TRAINING.md, "Clustering pretext task"). Labelling only decides which chunks
/// take part: those with enough speech (label 0), the others −1. Opt-in: used only when named
/// (<c>--tasks energy-variation,clustering</c>).
/// </summary>
public sealed class ClusteringTask : IOptInTask
{
    public const string TaskName = "clustering";

    private readonly EnergyVariationTask speech;

    public ClusteringTask(ClusteringOptions? options = null)
    {
        Options = options ?? new ClusteringOptions();
        Options.Validate();
        Classes = Enumerable.Range(0, Options.Clusters).Select(k => $"cluster-{k}").ToArray();
        // Energy variation's measurement is NaN exactly on the chunks with too few original speech frames: that is the rule.
        speech = new EnergyVariationTask(new EnergyVariationOptions { MinSpeechFrames = Options.MinSpeechFrames });
    }

    public ClusteringOptions Options { get; }

    public string Name => TaskName;

    public string Description =>
        $"Per chunk: which of {Options.Clusters} k-means clusters of the encoder's chunk embeddings it falls in (re-clustered every {Options.ReclusterEvery} epoch(s)).";

    public LabelGranularity Granularity => LabelGranularity.Chunk;

    public LabelKind Kind => LabelKind.PseudoClasses;

    public IReadOnlyList<string> Classes { get; }

    /// <summary>Per chunk a finite value when the chunk has enough speech to take part, NaN when not.</summary>
    public TaskMeasurement Measure(PretextClip clip) => speech.Measure(clip);

    public ITaskLabeller Fit(IReadOnlyList<TaskMeasurement> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        var chunks = training.Where(m => m.IsUsable && m.ChunkValues is not null).Sum(m => m.ChunkValues!.Count(double.IsFinite));
        if (chunks < Options.Clusters)
        {
            throw new InvalidOperationException(
                $"{TaskName}: the {training.Count} training clips have {chunks} chunk(s) with speech, fewer than the {Options.Clusters} clusters");
        }
        return new ClusteringLabeller(new ClusteringState(TaskName, Options.Clusters, Options.ReclusterEvery, Options.MinSpeechFrames, chunks));
    }
}
