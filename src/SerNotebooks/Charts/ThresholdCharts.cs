using Plotly.NET;
using SerNotebooks.Pretext;

namespace SerNotebooks.Charts;

/// <summary>Equal-width bins: <see cref="Edges"/> has one more entry than <see cref="Counts"/>; the last bin includes its upper edge.</summary>
public sealed record Histogram(double[] Edges, int[] Counts)
{
    /// <summary>
    /// <paramref name="bins"/> equal-width bins over [min, max] of the finite values (one bin of width 1 around the
    /// value when all are equal); non-finite values are left out.
    /// </summary>
    public static Histogram Of(IEnumerable<double> values, int bins, double? min = null, double? max = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        var finite = values.Where(double.IsFinite).ToArray();
        var low = min ?? (finite.Length == 0 ? 0 : finite.Min());
        var high = max ?? (finite.Length == 0 ? 1 : finite.Max());
        if (!(high > low))
        {
            (low, high) = (low - 0.5, low + 0.5);
        }
        var width = (high - low) / bins;
        var edges = Enumerable.Range(0, bins + 1).Select(i => low + i * width).ToArray();
        edges[^1] = high;
        var counts = new int[bins];
        foreach (var value in finite)
        {
            if (value < low || value > high)
            {
                continue;
            }
            counts[Math.Min(bins - 1, (int)((value - low) / width))]++;
        }
        return new Histogram(edges, counts);
    }

    /// <summary>Bin centres, for bar charts.</summary>
    public double[] Centres => Enumerable.Range(0, Counts.Length).Select(i => (Edges[i] + Edges[i + 1]) / 2).ToArray();
}

/// <summary>How a chunk task's threshold cuts the corpus: the distribution of the measured chunk values, by label.</summary>
public static class ThresholdCharts
{
    private const string LowColor = "#4C78A8";
    private const string HighColor = "#E45756";
    private const string OtherColor = "#54A24B";
    private const string ThresholdColor = "#222222";

    /// <summary>
    /// Histogram of every labelled chunk's measured value (<see cref="TaskMeasurement.ChunkValues"/>), stacked by the
    /// label the chunk got, with the threshold as a vertical line: with a median threshold both colours hold the
    /// same number of chunks. The range ends at the 99th percentile so a few outliers do not squash the rest.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="task"/> is not a chunk task of the run.</exception>
    public static GenericChart ChunkValueHistogram(PretextLabellingResult result, string task, double? threshold, string valueTitle, int bins = 40)
    {
        var values = LabelledChunkValues(result, task);
        var set = result.LabelSets[task];
        var sorted = values.Select(v => v.Value).Order().ToArray();
        var low = sorted.Length == 0 ? 0 : sorted[0];
        var high = sorted.Length == 0 ? 1 : sorted[(int)Math.Ceiling(0.99 * (sorted.Length - 1))];
        var traces = new List<Trace>();
        for (var c = 0; c < set.Classes.Count; c++)
        {
            var label = c;
            var histogram = Histogram.Of(values.Where(v => v.Label == label).Select(v => v.Value), bins, low, high);
            var bar = new Trace2D("bar");
            bar.SetProperty("name", $"{set.Classes[c]} chunks");
            bar.SetProperty("x", histogram.Centres);
            bar.SetProperty("y", histogram.Counts);
            var marker = new DynamicObj.DynamicObj();
            marker.SetProperty("color", c == 0 ? LowColor : c == 1 ? HighColor : OtherColor);
            bar.SetProperty("marker", marker);
            traces.Add(bar);
        }
        if (threshold is { } t)
        {
            var peak = Histogram.Of(values.Select(v => v.Value), bins, low, high).Counts.DefaultIfEmpty().Max();
            traces.Add(PanelLayout.Path($"threshold {t:G3}", [t, t], [0, peak], ThresholdColor, 2, "dash"));
        }
        var layout = PlotlyObjects.Layout($"{task}: chunk values over the corpus ({values.Count} labelled chunks)",
            PlotlyObjects.Axis(valueTitle), PlotlyObjects.Axis("chunks"), ("barmode", "stack"), ("bargap", 0.05), ("width", 800), ("height", 400));
        return PlotlyObjects.Chart(traces, layout);
    }

    /// <summary>Every labelled chunk of <paramref name="task"/>: its measured value and label, manifest order.</summary>
    public static IReadOnlyList<(double Value, int Label)> LabelledChunkValues(PretextLabellingResult result, string task)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.LabelSets.TryGetValue(task, out var set) || set.Granularity != LabelGranularity.Chunk)
        {
            throw new ArgumentException($"'{task}' is not a chunk task of this labelling run ({string.Join(", ", result.TaskNames)})", nameof(task));
        }
        var values = new List<(double, int)>();
        foreach (var measurement in result.Measurements[task])
        {
            if (!set.ByClip.TryGetValue(measurement.ClipId, out var labels) || labels.ChunkLabels is null || measurement.ChunkValues is null)
            {
                continue;
            }
            for (var k = 0; k < Math.Min(labels.ChunkLabels.Length, measurement.ChunkValues.Length); k++)
            {
                if (labels.ChunkLabels[k] != ClipTaskLabels.MissingLabel && double.IsFinite(measurement.ChunkValues[k]))
                {
                    values.Add((measurement.ChunkValues[k], labels.ChunkLabels[k]));
                }
            }
        }
        return values;
    }
}
