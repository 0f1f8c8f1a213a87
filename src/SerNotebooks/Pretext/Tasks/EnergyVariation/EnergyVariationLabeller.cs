namespace SerNotebooks.Pretext.Tasks.EnergyVariation;

/// <summary>
/// Labels chunks high (1) when their value exceeds the fitted threshold, low (0) otherwise, and
/// <see cref="ClipTaskLabels.MissingLabel"/> for chunks without enough speech.
/// </summary>
public sealed class EnergyVariationLabeller : ISpeakerAdaptiveLabeller
{
    public EnergyVariationLabeller(EnergyVariationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        State = state;
    }

    public EnergyVariationState State { get; }

    public double Threshold => State.Threshold;

    public string TaskName => EnergyVariationTask.TaskName;

    public string StateJson => LabellerStateJson.Write(State);

    /// <summary>Restores a labeller from <see cref="StateJson"/> (for example at fine-tuning or inference time).</summary>
    public static EnergyVariationLabeller FromStateJson(string json)
    {
        var state = LabellerStateJson.Read<EnergyVariationState>(json, EnergyVariationTask.TaskName);
        return new EnergyVariationLabeller(state with
        {
            Speakers = new Dictionary<string, SpeakerEnergyStatistics>(state.Speakers, StringComparer.Ordinal),
        });
    }

    /// <summary>
    /// With per-speaker normalisation: a labeller that also knows the statistics of speakers absent from the
    /// fit set, computed from their own (unlabelled) measurements. Speakers already known keep their fitted
    /// statistics, so training labels never change; the threshold is untouched.
    /// </summary>
    public ITaskLabeller AdaptTo(IReadOnlyList<TaskMeasurement> measurements)
    {
        if (!State.PerSpeakerNormalisation)
        {
            return this;
        }
        var merged = new Dictionary<string, SpeakerEnergyStatistics>(State.Speakers, StringComparer.Ordinal);
        var unseen = measurements.Where(m => m.IsUsable && m.ChunkValues is not null && !merged.ContainsKey(m.Speaker)).ToList();
        foreach (var (speaker, statistics) in SpeakerStatisticsOf(unseen))
        {
            merged[speaker] = statistics;
        }
        return new EnergyVariationLabeller(State with { Speakers = merged });
    }

    public ClipTaskLabels Label(TaskMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (!measurement.IsUsable || measurement.ChunkValues is null)
        {
            return new ClipTaskLabels(measurement.ClipId, null, ClipTaskLabels.MissingLabel, measurement.Source,
                measurement.SkipReason ?? "no chunk values");
        }
        SpeakerEnergyStatistics? speaker = null;
        if (State.PerSpeakerNormalisation && !State.Speakers.TryGetValue(measurement.Speaker, out speaker))
        {
            return new ClipTaskLabels(measurement.ClipId, null, ClipTaskLabels.MissingLabel, measurement.Source,
                $"no speaker statistics: speaker '{measurement.Speaker}' has fewer than two chunks with enough speech");
        }
        var labels = new int[measurement.ChunkValues.Length];
        for (var k = 0; k < labels.Length; k++)
        {
            var value = measurement.ChunkValues[k];
            if (double.IsNaN(value))
            {
                labels[k] = ClipTaskLabels.MissingLabel;
                continue;
            }
            var compared = speaker is null ? value : speaker.ZScore(value);
            labels[k] = compared > State.Threshold ? 1 : 0;
        }
        return new ClipTaskLabels(measurement.ClipId, labels, ClipTaskLabels.MissingLabel, measurement.Source, null);
    }

    internal static Dictionary<string, SpeakerEnergyStatistics> SpeakerStatisticsOf(IEnumerable<TaskMeasurement> measurements)
    {
        var result = new Dictionary<string, SpeakerEnergyStatistics>(StringComparer.Ordinal);
        foreach (var group in measurements.Where(m => m.ChunkValues is not null).GroupBy(m => m.Speaker, StringComparer.Ordinal))
        {
            var values = group.SelectMany(m => m.ChunkValues!).Where(v => !double.IsNaN(v)).ToArray();
            if (values.Length < 2)
            {
                continue;
            }
            var mean = values.Average();
            var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
            // A speaker whose chunks all have the same value cannot be z-scored.
            if (std <= 1e-9)
            {
                continue;
            }
            result[group.Key] = new SpeakerEnergyStatistics(mean, std, values.Length);
        }
        return result;
    }
}
