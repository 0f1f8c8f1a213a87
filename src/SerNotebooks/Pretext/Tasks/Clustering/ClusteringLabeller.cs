namespace SerNotebooks.Pretext.Tasks.Clustering;

/// <summary>
/// What the clustering task fixes before training: K, the re-clustering period (read by the pre-training objective as
/// <see cref="PseudoClassSchedule"/>) and the participation rule; and how many training chunks take part.
/// </summary>
public sealed record ClusteringState(string Task, int Clusters, int ReclusterEvery, int MinSpeechFrames, int TrainingChunks)
    : LabellerState(Task);

/// <summary>Labels a chunk 0 when it takes part in the clustering (enough speech), −1 when not; the classes come in training.</summary>
public sealed class ClusteringLabeller(ClusteringState state) : ITaskLabeller
{
    public ClusteringState State { get; } = state ?? throw new ArgumentNullException(nameof(state));

    public string TaskName => ClusteringTask.TaskName;

    public string StateJson => LabellerStateJson.Write(State);

    public static ClusteringLabeller FromStateJson(string json) =>
        new(LabellerStateJson.Read<ClusteringState>(json, ClusteringTask.TaskName));

    public ClipTaskLabels Label(TaskMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (!measurement.IsUsable || measurement.ChunkValues is null)
        {
            return new ClipTaskLabels(measurement.ClipId, null, ClipTaskLabels.MissingLabel, measurement.Source,
                measurement.SkipReason ?? "no chunk values");
        }
        var takesPart = measurement.ChunkValues.Select(v => double.IsFinite(v) ? 0 : ClipTaskLabels.MissingLabel).ToArray();
        return new ClipTaskLabels(measurement.ClipId, takesPart, ClipTaskLabels.MissingLabel, measurement.Source, null);
    }
}
