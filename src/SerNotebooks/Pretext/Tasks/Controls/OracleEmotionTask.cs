using System.Text.Json;
using SerNotebooks.Data;

namespace SerNotebooks.Pretext.Tasks.Controls;

/// <summary>
/// Positive control: the pre-training corpus's hidden emotion (<c>latent_emotion</c>, known only on a simulated
/// corpus such as the demo corpus) used as an utterance-level pretext label. No pretext label can carry more about
/// emotion, so it bounds from above what pre-training on this corpus can give downstream; if even this control does
/// not help, the pipeline (or the corpus) cannot transfer, whatever the paper's tasks do. It is the one place where
/// a label maker reads a <c>latent_*</c> column, on purpose, and it is never one of the paper's configurations.
/// </summary>
public sealed class OracleEmotionTask : IControlTask, ICorpusRequirement
{
    public const string TaskName = "oracle-emotion";
    public const string LatentColumn = "latent_emotion";

    /// <summary>CREMA-D's six emotions, the classes of the demo corpus's latent state.</summary>
    public static readonly IReadOnlyList<string> Emotions = ["anger", "disgust", "fear", "happiness", "neutral", "sadness"];

    public string Name => TaskName;

    public string Description =>
        "Control (positive): the utterance's hidden emotion from the simulated corpus's latent_emotion column — the best a pretext label could be.";

    public string ControlRole => "positive control: the upper bound of what a pretext label can give";

    public LabelGranularity Granularity => LabelGranularity.Utterance;

    public IReadOnlyList<string> Classes => Emotions;

    public string? Refusal(IReadOnlyCollection<ManifestEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.Any(e => e.Extras.ContainsKey(LatentColumn))
            ? null
            : $"{TaskName} needs the hidden emotion of every pre-training clip (a '{LatentColumn}' column), which only a simulated corpus such as the demo corpus has; " +
              "a real unlabelled corpus has no emotion labels, so this control cannot be run on it";
    }

    public TaskMeasurement Measure(PretextClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (!clip.Entry.Extras.TryGetValue(LatentColumn, out var emotion) || string.IsNullOrWhiteSpace(emotion))
        {
            return TaskMeasurement.Skipped(clip.Id, clip.Speaker, LatentColumn, $"no {LatentColumn} value");
        }
        var index = Emotions.ToList().IndexOf(emotion.Trim().ToLowerInvariant());
        return index < 0
            ? TaskMeasurement.Skipped(clip.Id, clip.Speaker, LatentColumn, $"{LatentColumn} '{emotion}' is not one of {string.Join(", ", Emotions)}")
            : new TaskMeasurement(clip.Id, clip.Speaker, null, index, LatentColumn, null);
    }

    public ITaskLabeller Fit(IReadOnlyList<TaskMeasurement> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return new IdentityClassLabeller(TaskName, Emotions, JsonSerializer.Serialize(new { task = TaskName, column = LatentColumn, classes = Emotions, trainingClips = training.Count }));
    }

    /// <summary>The measured class is the label: the oracle has nothing to fit.</summary>
    private sealed class IdentityClassLabeller(string taskName, IReadOnlyList<string> classes, string stateJson) : ITaskLabeller
    {
        public string TaskName => taskName;

        public string StateJson => stateJson;

        public ClipTaskLabels Label(TaskMeasurement measurement) =>
            measurement.IsUsable && measurement.UtteranceClass is { } index && index >= 0 && index < classes.Count
                ? new ClipTaskLabels(measurement.ClipId, null, index, measurement.Source, null)
                : new ClipTaskLabels(measurement.ClipId, null, ClipTaskLabels.MissingLabel, measurement.Source, measurement.SkipReason ?? "no class");
    }
}
