namespace SerNotebooks.Pretext.Tasks.EnergyVariation;

/// <summary>
/// Task 1 (docs/METHOD.md, "Task 1: energy variation"): a chunk is <c>high</c> when the standard deviation of its
/// frame log-energy (dB, speech frames only, original frames only) exceeds the median of that statistic over
/// the training chunks, else <c>low</c>.
/// </summary>
public sealed class EnergyVariationTask : IPretextTask, IPretextTaskClipChart
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

    /// <summary>The energy contour (<see cref="EnergyVariationCharts.EnergyContour"/>); needs an <see cref="EnergyVariationLabeller"/>.</summary>
    public PretextClipChart ClipChart(PretextClip clip, ITaskLabeller labeller)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var fitted = PretextClipCharts.LabellerOf<EnergyVariationLabeller>(labeller, TaskName);
        return new PretextClipChart("energy-contour", $"Energy variation — {clip.Id}", EnergyVariationCharts.EnergyContour(clip, this, fitted));
    }

    internal static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }
}
