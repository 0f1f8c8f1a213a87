using Deedle;
using Plotly.NET;

namespace SerNotebooks.Charts;

/// <summary>Charts of a corpus's make-up, drawn from the <see cref="Data.CorpusTables"/> frames.</summary>
public static class CorpusCharts
{
    private static readonly IReadOnlyDictionary<string, string> SplitColors = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["train"] = "#4C78A8",
        ["dev"] = "#F58518",
        ["test"] = "#54A24B",
    };

    /// <summary>
    /// Grouped bars: one group per class (row of <paramref name="counts"/>), one bar per split (column), height =
    /// clips. The frame is <see cref="Data.CorpusTables.ClipsPerClassAndSplit"/>.
    /// </summary>
    public static GenericChart ClipsPerClassAndSplit(Frame<string, string> counts, string classTitle = "emotion")
    {
        ArgumentNullException.ThrowIfNull(counts);
        var classes = counts.RowKeys.ToArray();
        var traces = counts.ColumnKeys.Select(split =>
        {
            var values = classes.Select(c => (double)counts.GetColumn<int>(split).TryGet(c).OrDefault(0)).ToArray();
            var bar = PlotlyObjects.Bar(split, classes, values, hoverText: values.Select(v => $"{v:0} clips").ToArray());
            if (SplitColors.TryGetValue(split, out var color))
            {
                bar.SetProperty("marker", Marker(color));
            }
            return (Trace)bar;
        }).ToList();
        var layout = PlotlyObjects.Layout($"Clips per {classTitle} and split", PlotlyObjects.Axis(classTitle), PlotlyObjects.Axis("clips"),
            ("barmode", "group"), ("width", 800), ("height", 420));
        return PlotlyObjects.Chart(traces, layout);
    }

    /// <summary>
    /// Stacked bars per split: its speakers by sex (female, male, other/unknown). The frame is
    /// <see cref="Data.CorpusTables.SpeakersPerSplit"/>; the title reports whether any speaker is in two splits.
    /// </summary>
    public static GenericChart SpeakersPerSplit(Frame<string, string> speakers)
    {
        ArgumentNullException.ThrowIfNull(speakers);
        var splits = speakers.RowKeys.ToArray();
        int[] Column(string name) => splits.Select(s => speakers.GetColumn<int>(name).TryGet(s).OrDefault(0)).ToArray();
        var total = Column("speakers");
        var female = Column("female");
        var male = Column("male");
        var other = total.Select((t, i) => t - female[i] - male[i]).ToArray();
        // Speakers listed under more than one split (each is counted once, however many splits it is in).
        var shared = splits
            .SelectMany(s => speakers.GetColumn<string>("speaker ids").TryGet(s).OrDefault("").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy(id => id, StringComparer.Ordinal)
            .Count(g => g.Count() > 1);
        var traces = new List<Trace>
        {
            PlotlyObjects.Bar("female", splits, female.Select(v => (double)v).ToArray()),
            PlotlyObjects.Bar("male", splits, male.Select(v => (double)v).ToArray()),
        };
        if (other.Any(v => v > 0))
        {
            traces.Add(PlotlyObjects.Bar("other/unknown", splits, other.Select(v => (double)v).ToArray()));
        }
        var title = shared == 0
            ? "Speakers per split — speaker-independent (no speaker in two splits)"
            : $"Speakers per split — NOT speaker-independent: {shared} speaker(s) in more than one split";
        var layout = PlotlyObjects.Layout(title, PlotlyObjects.Axis("split"), PlotlyObjects.Axis("speakers"),
            ("barmode", "stack"), ("width", 700), ("height", 400));
        return PlotlyObjects.Chart(traces, layout);
    }

    private static DynamicObj.DynamicObj Marker(string color)
    {
        var marker = new DynamicObj.DynamicObj();
        marker.SetProperty("color", color);
        return marker;
    }
}
