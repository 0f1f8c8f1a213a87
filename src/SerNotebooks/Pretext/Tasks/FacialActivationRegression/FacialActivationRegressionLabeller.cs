using System.Text.Json.Serialization;
using SerNotebooks.Faces;
using SerNotebooks.Pretext.Tasks.FacialActivation;

namespace SerNotebooks.Pretext.Tasks.FacialActivationRegression;

/// <summary>
/// Fitted state of the regression task: per face source (landmark and optical-flow activations are different scales)
/// the training chunks' mean and standard deviation, which standardise the targets.
/// </summary>
public sealed record FacialActivationRegressionState(
    string Task,
    [property: JsonPropertyName("means")] IReadOnlyDictionary<string, double> Means,
    [property: JsonPropertyName("standardDeviations")] IReadOnlyDictionary<string, double> StandardDeviations,
    [property: JsonPropertyName("trainingChunks")] IReadOnlyDictionary<string, int> TrainingChunks,
    [property: JsonPropertyName("confidenceThreshold")] double ConfidenceThreshold,
    [property: JsonPropertyName("minFramesPerChunk")] int MinFramesPerChunk,
    [property: JsonPropertyName("acceptAnyFrameRate")] bool AcceptAnyFrameRate) : LabellerState(Task);

/// <summary>The regression task fitted: a chunk's target is (activation − mean) / std of its source's training chunks.</summary>
public sealed class FacialActivationRegressionLabeller : ITaskLabeller
{
    public FacialActivationRegressionLabeller(FacialActivationRegressionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        State = state;
        StateJson = LabellerStateJson.Write(state);
    }

    public FacialActivationRegressionState State { get; }

    public string TaskName => FacialActivationRegressionTask.TaskName;

    public string StateJson { get; }

    public static FacialActivationRegressionLabeller FromStateJson(string json) =>
        new(LabellerStateJson.Read<FacialActivationRegressionState>(json, FacialActivationRegressionTask.TaskName));

    /// <summary>Mean and (population) standard deviation of every finite training chunk value, per source.</summary>
    /// <exception cref="InvalidOperationException">No training chunk has a value, or a source's values are all equal.</exception>
    public static FacialActivationRegressionLabeller Fit(IReadOnlyList<TaskMeasurement> training, FacialActivationOptions options)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        var bySource = training
            .Where(m => m.IsUsable && m.ChunkValues is not null)
            .GroupBy(m => m.Source)
            .Select(g => (Source: g.Key, Values: g.SelectMany(m => m.ChunkValues!).Where(double.IsFinite).ToArray()))
            .Where(p => p.Values.Length > 0)
            .ToList();
        if (bySource.Count == 0)
        {
            throw new InvalidOperationException(
                $"{FacialActivationRegressionTask.TaskName}: none of the {training.Count} training clips has a chunk with usable face data; cannot fit the standardisation");
        }
        var means = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var deviations = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (source, values) in bySource)
        {
            var mean = values.Average();
            var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
            if (!(std > 0))
            {
                throw new InvalidOperationException(
                    $"{FacialActivationRegressionTask.TaskName}: the {values.Length} training chunks from source '{source}' all have activation {mean}; nothing to regress");
            }
            (means[source], deviations[source], counts[source]) = (mean, std, values.Length);
        }
        return new FacialActivationRegressionLabeller(new FacialActivationRegressionState(FacialActivationRegressionTask.TaskName,
            means, deviations, counts, options.ConfidenceThreshold, options.MinFramesPerChunk, options.AcceptAnyFrameRate));
    }

    public ClipTaskLabels Label(TaskMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (!measurement.IsUsable || measurement.ChunkValues is null)
        {
            return new ClipTaskLabels(measurement.ClipId, null, ClipTaskLabels.MissingLabel, measurement.Source,
                measurement.SkipReason ?? "no chunk values");
        }
        if (!State.Means.TryGetValue(measurement.Source, out var mean))
        {
            return new ClipTaskLabels(measurement.ClipId, null, ClipTaskLabels.MissingLabel, measurement.Source,
                $"no training clip came from source '{measurement.Source}', so it has no fitted standardisation " +
                $"(fitted: {string.Join(", ", State.Means.Keys)})");
        }
        var std = State.StandardDeviations[measurement.Source];
        var targets = measurement.ChunkValues.Select(v => double.IsFinite(v) ? (v - mean) / std : double.NaN).ToArray();
        return new ClipTaskLabels(measurement.ClipId, null, ClipTaskLabels.MissingLabel, measurement.Source, null) { ChunkTargets = targets };
    }

    /// <summary>A standardised value (a target or a prediction) back on <paramref name="source"/>'s activation scale.</summary>
    /// <exception cref="KeyNotFoundException">The source was not fitted.</exception>
    public double Unstandardise(string source, double standardised) =>
        standardised * State.StandardDeviations[source] + State.Means[source];
}
