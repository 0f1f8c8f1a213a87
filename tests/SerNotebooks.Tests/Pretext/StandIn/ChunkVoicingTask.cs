using SerNotebooks.Pretext;

namespace SerNotebooks.Tests.Pretext.StandIn;

/// <summary>
/// A stand-in for a user's own pretext task, written only against the library's public task contract: per chunk,
/// the share of its frames that are speech; <c>voiced</c> when above the training chunks' median, else <c>sparse</c>.
/// </summary>
public sealed class ChunkVoicingTask : IPretextTask
{
    public const string TaskName = "chunk-voicing";

    public string Name => TaskName;

    public string Description => "Per chunk: is its share of speech frames above the training median?";

    public LabelGranularity Granularity => LabelGranularity.Chunk;

    public IReadOnlyList<string> Classes { get; } = ["sparse", "voiced"];

    public TaskMeasurement Measure(PretextClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var speech = clip.Features.SpeechMask;
        var shares = clip.Chunks.Chunks
            .Select(chunk => chunk.ValidFrames == 0
                ? double.NaN
                : Enumerable.Range(chunk.StartFrame, chunk.ValidFrames).Count(frame => speech[frame]) / (double)chunk.ValidFrames)
            .ToArray();
        return new TaskMeasurement(clip.Id, clip.Speaker, shares, null, "audio", null);
    }

    public ITaskLabeller Fit(IReadOnlyList<TaskMeasurement> training)
    {
        var shares = training.Where(m => m.IsUsable).SelectMany(m => m.ChunkValues!).Where(double.IsFinite).Order().ToArray();
        return shares.Length == 0
            ? throw new InvalidOperationException($"{TaskName}: no training chunk has frames")
            : new ChunkVoicingLabeller(new ChunkVoicingState(shares[shares.Length / 2], shares.Length));
    }
}

/// <summary>The fitted state: the upper median of the training chunks' speech shares.</summary>
public sealed record ChunkVoicingState(double Threshold, int TrainingChunks) : LabellerState(ChunkVoicingTask.TaskName);

public sealed class ChunkVoicingLabeller(ChunkVoicingState state) : ITaskLabeller
{
    public ChunkVoicingState State { get; } = state;

    public string TaskName => ChunkVoicingTask.TaskName;

    public string StateJson => LabellerStateJson.Write(State);

    public static ChunkVoicingLabeller FromStateJson(string json) => new(LabellerStateJson.Read<ChunkVoicingState>(json, ChunkVoicingTask.TaskName));

    public ClipTaskLabels Label(TaskMeasurement measurement) =>
        new(measurement.ClipId,
            measurement.ChunkValues?.Select(v => double.IsFinite(v) ? (v > State.Threshold ? 1 : 0) : ClipTaskLabels.MissingLabel).ToArray(),
            ClipTaskLabels.MissingLabel, measurement.Source, measurement.ChunkValues is null ? "no chunk values" : null);
}
