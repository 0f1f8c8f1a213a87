namespace SerNotebooks.Pretext.Tasks.FacialActivation;

/// <summary>Task 2 fitted: a chunk is high (1) when its activation exceeds its source's training median, else low (0).</summary>
public sealed class FacialActivationLabeller : ITaskLabeller
{
    public FacialActivationLabeller(FacialActivationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        State = state;
        StateJson = LabellerStateJson.Write(state);
    }

    public FacialActivationState State { get; }

    public string TaskName => FacialActivationTask.TaskName;

    public string StateJson { get; }

    public static FacialActivationLabeller FromStateJson(string json) =>
        new(LabellerStateJson.Read<FacialActivationState>(json, FacialActivationTask.TaskName));

    /// <summary>The median of every finite training chunk value, per source. Throws when no training chunk has a value.</summary>
    public static FacialActivationLabeller FitMedian(IReadOnlyList<TaskMeasurement> training, FacialActivationOptions options)
    {
        var bySource = training
            .Where(m => m.IsUsable && m.ChunkValues is not null)
            .GroupBy(m => m.Source)
            .ToDictionary(g => g.Key, g => g.SelectMany(m => m.ChunkValues!).Where(double.IsFinite).Order().ToArray());
        bySource = bySource.Where(p => p.Value.Length > 0).ToDictionary(p => p.Key, p => p.Value);
        if (bySource.Count == 0)
        {
            throw new InvalidOperationException(
                $"facial-activation: none of the {training.Count} training clips has a chunk with usable face data; cannot fit a threshold");
        }
        var thresholds = new SortedDictionary<string, double>(bySource.ToDictionary(p => p.Key, p => Median(p.Value)), StringComparer.Ordinal);
        var counts = new SortedDictionary<string, int>(bySource.ToDictionary(p => p.Key, p => p.Value.Length), StringComparer.Ordinal);
        return new FacialActivationLabeller(new FacialActivationState(FacialActivationTask.TaskName, thresholds, counts,
            options.ConfidenceThreshold, options.MinFramesPerChunk, options.AcceptAnyFrameRate));
    }

    public ClipTaskLabels Label(TaskMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (!measurement.IsUsable || measurement.ChunkValues is null)
        {
            return new ClipTaskLabels(measurement.ClipId, null, ClipTaskLabels.MissingLabel, measurement.Source,
                measurement.SkipReason ?? "no chunk values");
        }
        if (!State.Thresholds.TryGetValue(measurement.Source, out var threshold))
        {
            return new ClipTaskLabels(measurement.ClipId, null, ClipTaskLabels.MissingLabel, measurement.Source,
                $"no training clip came from source '{measurement.Source}', so it has no fitted threshold " +
                $"(fitted: {string.Join(", ", State.Thresholds.Keys)})");
        }
        var labels = measurement.ChunkValues
            .Select(v => double.IsFinite(v) ? (v > threshold ? 1 : 0) : ClipTaskLabels.MissingLabel)
            .ToArray();
        return new ClipTaskLabels(measurement.ClipId, labels, ClipTaskLabels.MissingLabel, measurement.Source, null);
    }

    /// <summary>The threshold for a source, for charts (NaN when that source was not fitted).</summary>
    public double ThresholdFor(string source) => State.Thresholds.TryGetValue(source, out var t) ? t : double.NaN;

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
