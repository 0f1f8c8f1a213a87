using Plotly.NET.CSharp;
using SerNotebooks.Pretext;

namespace SerNotebooks.Tests.Pretext.StandIn;

/// <summary>
/// A stand-in for a user's own pretext task, written only against the library's public task contract: per chunk,
/// the share of its frames that are speech; <c>voiced</c> when above the training chunks' median, else <c>sparse</c>.
/// Its per-clip chart shows that a user's task draws itself in <c>sernb labels</c> and the notebooks.
/// </summary>
public sealed class ChunkVoicingTask : IPretextTask, IPretextTaskClipChart
{
    /// <summary>The start of the chart's title, which the tests look for in the written charts and notebooks.</summary>
    public const string ChartTitle = "Chunk voicing: speech share per chunk";

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

    /// <summary>One bar per chunk (its speech share), named by its label, with the fitted threshold in the title.</summary>
    public PretextClipChart ClipChart(PretextClip clip, ITaskLabeller labeller)
    {
        var fitted = PretextClipCharts.LabellerOf<ChunkVoicingLabeller>(labeller, TaskName);
        var measurement = Measure(clip);
        var labels = fitted.Label(measurement).ChunkLabels!;
        var chart = Chart.Column<double, string, string>(
                measurement.ChunkValues!.Select(v => double.IsFinite(v) ? v : 0).ToArray(),
                Keys: labels.Select((label, k) => $"chunk {k}: {(label >= 0 ? Classes[label] : "unlabelled")}").ToArray(),
                Name: "speech share")
            .WithYAxisStyle<double, double, string>(TitleText: $"speech share (threshold {fitted.State.Threshold:0.###})");
        return new PretextClipChart(TaskName, $"{ChartTitle}, {clip.Id}",
            Plotly.NET.Chart.withTitle($"{ChartTitle}, {clip.Id}", null).Invoke(chart));
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
