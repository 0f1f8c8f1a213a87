namespace SerNotebooks.Pretext;

/// <summary>Settings of <see cref="EnergyVariationTask"/>.</summary>
public sealed record EnergyVariationOptions
{
    /// <summary>
    /// A chunk needs at least this many original speech frames for its standard deviation to mean anything;
    /// with fewer (mostly pauses) it gets no label. 10 frames = 100 ms.
    /// </summary>
    public int MinSpeechFrames { get; init; } = 10;

    /// <summary>
    /// When true, each speaker's chunk values are z-scored with that speaker's own mean and standard deviation
    /// before thresholding, so a naturally lively voice does not make every chunk "high". The statistics come
    /// from the speaker's own unlabelled chunk values (no emotion label is read); for a speaker outside the fit
    /// set they are computed from that speaker's clips when labelling (see <see cref="EnergyVariationLabeller.AdaptTo"/>).
    /// </summary>
    public bool PerSpeakerNormalisation { get; init; }

    public void Validate()
    {
        if (MinSpeechFrames < 2)
        {
            throw new ArgumentException($"EnergyVariationOptions.MinSpeechFrames must be ≥ 2 (a standard deviation needs two frames), got {MinSpeechFrames}.");
        }
    }
}

/// <summary>
/// Task 1 (docs/METHOD.md, "Task 1: energy variation"): a chunk is <c>high</c> when the standard deviation of its
/// frame log-energy (dB, speech frames only, original frames only) exceeds the median of that statistic over
/// the training chunks, else <c>low</c>.
/// </summary>
public sealed class EnergyVariationTask : IPretextTask
{
    public const string TaskName = "energy-variation";
    public const string MeasurementSource = "audio";

    public EnergyVariationTask(EnergyVariationOptions? options = null)
    {
        Options = options ?? new EnergyVariationOptions();
        Options.Validate();
    }

    public EnergyVariationOptions Options { get; }

    public string Name => TaskName;

    public string Description =>
        "Per chunk: is the standard deviation of frame log-energy over speech frames above the training median?" +
        (Options.PerSpeakerNormalisation ? " (values z-scored per speaker)" : string.Empty);

    public LabelGranularity Granularity => LabelGranularity.Chunk;

    public IReadOnlyList<string> Classes { get; } = ["low", "high"];

    public TaskMeasurement Measure(PretextClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var energy = clip.Features.LogEnergyDb;
        var speech = clip.Features.SpeechMask;
        var plan = clip.Chunks;
        var values = new double[plan.ChunkCount];
        for (var k = 0; k < plan.ChunkCount; k++)
        {
            var chunk = plan.Chunks[k];
            // Only original frames: repeated padding frames would count the same frame twice.
            var count = 0;
            double sum = 0, sumSquares = 0;
            for (var position = 0; position < chunk.ValidFrames; position++)
            {
                if (!plan.IsOriginal(k, position))
                {
                    continue;
                }
                var frame = chunk.StartFrame + position;
                if (!speech[frame])
                {
                    continue;
                }
                double e = energy[frame];
                count++;
                sum += e;
                sumSquares += e * e;
            }
            if (count < Options.MinSpeechFrames)
            {
                values[k] = double.NaN;
                continue;
            }
            var mean = sum / count;
            // Population standard deviation: the chunk's frames are the whole population being described.
            values[k] = Math.Sqrt(Math.Max(0, sumSquares / count - mean * mean));
        }
        if (values.All(double.IsNaN))
        {
            return TaskMeasurement.Skipped(clip.Id, clip.Speaker, MeasurementSource,
                $"no speech: no chunk has {Options.MinSpeechFrames} or more speech frames");
        }
        return new TaskMeasurement(clip.Id, clip.Speaker, values, null, MeasurementSource, null);
    }

    public ITaskLabeller Fit(IReadOnlyList<TaskMeasurement> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        var usable = training.Where(m => m.IsUsable && m.ChunkValues is not null).ToList();
        var speakers = Options.PerSpeakerNormalisation
            ? EnergyVariationLabeller.SpeakerStatisticsOf(usable)
            : new Dictionary<string, SpeakerEnergyStatistics>(StringComparer.Ordinal);
        var values = new List<double>();
        foreach (var m in usable)
        {
            foreach (var v in m.ChunkValues!)
            {
                if (double.IsNaN(v))
                {
                    continue;
                }
                if (!Options.PerSpeakerNormalisation)
                {
                    values.Add(v);
                }
                else if (speakers.TryGetValue(m.Speaker, out var s))
                {
                    values.Add(s.ZScore(v));
                }
            }
        }
        if (values.Count == 0)
        {
            throw new InvalidOperationException(
                $"{TaskName}: cannot fit a threshold: the {training.Count} training clips have no chunk with a usable energy statistic" +
                (Options.PerSpeakerNormalisation ? " from a speaker with at least two such chunks" : string.Empty));
        }
        return new EnergyVariationLabeller(new EnergyVariationState
        {
            Threshold = Median(values),
            TrainingChunks = values.Count,
            MinSpeechFrames = Options.MinSpeechFrames,
            PerSpeakerNormalisation = Options.PerSpeakerNormalisation,
            Speakers = speakers,
        });
    }

    internal static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }
}

/// <summary>Mean and standard deviation of one speaker's chunk values (dB), from <see cref="Chunks"/> chunks.</summary>
public sealed record SpeakerEnergyStatistics(double Mean, double Std, int Chunks)
{
    public double ZScore(double value) => (value - Mean) / Std;
}

/// <summary>The fitted state of <see cref="EnergyVariationTask"/>, saved as the labeller's JSON.</summary>
public sealed record EnergyVariationState() : LabellerState(EnergyVariationTask.TaskName)
{
    /// <summary>Median of the training chunks' values: dB, or a z-score with per-speaker normalisation.</summary>
    public required double Threshold { get; init; }

    public required int TrainingChunks { get; init; }

    public required int MinSpeechFrames { get; init; }

    public required bool PerSpeakerNormalisation { get; init; }

    /// <summary>Per-speaker statistics (empty without per-speaker normalisation).</summary>
    public IReadOnlyDictionary<string, SpeakerEnergyStatistics> Speakers { get; init; } =
        new Dictionary<string, SpeakerEnergyStatistics>(StringComparer.Ordinal);
}

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
