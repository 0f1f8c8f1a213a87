using DynamicObj;
using Plotly.NET;

namespace SerNotebooks.Charts;

/// <summary>
/// Panels stacked vertically over one shared time axis: panel i draws on y axis i+1 ("y", "y2", ...), every
/// trace on the one x axis, which is anchored under the bottom panel. Zooming in time zooms every panel.
/// </summary>
internal static class PanelLayout
{
    /// <summary>The plotly.js axis reference of panel <paramref name="panel"/> (0 = top): "y", "y2", ...</summary>
    public static string YAxis(int panel) => panel == 0 ? "y" : $"y{panel + 1}";

    public static Trace2D OnPanel(this Trace2D trace, int panel)
    {
        trace.SetProperty("xaxis", "x");
        trace.SetProperty("yaxis", YAxis(panel));
        return trace;
    }

    /// <summary>A layout of <paramref name="panelTitles"/>.Count panels, top to bottom, with a small gap between them.</summary>
    public static Layout Create(string title, string xTitle, IReadOnlyList<string> panelTitles, int width, int height, IReadOnlyList<double>? weights = null)
    {
        var count = panelTitles.Count;
        var w = weights ?? Enumerable.Repeat(1.0, count).ToArray();
        const double gap = 0.06;
        var usable = 1 - gap * (count - 1);
        var total = w.Sum();
        var layout = new Layout();
        layout.SetProperty("title", PlotlyObjects.Title(title));
        layout.SetProperty("width", width);
        layout.SetProperty("height", height);
        layout.SetProperty("xaxis", PlotlyObjects.Axis(xTitle, ("anchor", YAxis(count - 1))));
        var top = 1.0;
        for (var i = 0; i < count; i++)
        {
            var bottom = Math.Max(0, top - usable * w[i] / total);
            var axis = PlotlyObjects.Axis(panelTitles[i], ("domain", new[] { bottom, top }), ("anchor", "x"));
            layout.SetProperty(i == 0 ? "yaxis" : $"yaxis{i + 1}", axis);
            top = bottom - gap;
        }
        return layout;
    }

    /// <summary>Line segments [x0, x1] at height y, one per item, joined into one trace with null breaks.</summary>
    public static Trace2D Segments(string name, IEnumerable<(double X0, double X1, double Y)> segments, string color, double width = 4)
    {
        var xs = new List<double?>();
        var ys = new List<double?>();
        foreach (var (x0, x1, y) in segments)
        {
            xs.AddRange([x0, x1, null]);
            ys.AddRange([y, y, null]);
        }
        return Path(name, xs.ToArray(), ys.ToArray(), color, width);
    }

    /// <summary>Vertical lines at <paramref name="xs"/> from <paramref name="low"/> to <paramref name="high"/>, as one dotted trace.</summary>
    public static Trace2D VerticalLines(string name, IEnumerable<double> xs, double low, double high, string color)
    {
        var positions = xs.ToArray();
        return Path(name, positions.SelectMany(x => new double?[] { x, x, null }).ToArray(),
            positions.SelectMany(_ => new double?[] { low, high, null }).ToArray(), color, 1, "dot");
    }

    /// <summary>One line trace through the points; a null pair breaks the line.</summary>
    public static Trace2D Path(string name, double?[] x, double?[] y, string color, double width, string? dash = null)
    {
        var trace = new Trace2D("scatter");
        trace.SetProperty("name", name);
        trace.SetProperty("mode", "lines");
        trace.SetProperty("x", x);
        trace.SetProperty("y", y);
        trace.SetProperty("line", Line(color, width, dash));
        return trace;
    }

    public static Trace2D Scatter(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, string mode, string color, double width = 1.5, string? dash = null)
    {
        var trace = new Trace2D("scatter");
        trace.SetProperty("name", name);
        trace.SetProperty("mode", mode);
        trace.SetProperty("x", x.ToArray());
        trace.SetProperty("y", y.Select(v => double.IsFinite(v) ? v : (double?)null).ToArray());
        if (mode.Contains("lines", StringComparison.Ordinal))
        {
            trace.SetProperty("line", Line(color, width, dash));
        }
        if (mode.Contains("markers", StringComparison.Ordinal))
        {
            var marker = new DynamicObj.DynamicObj();
            marker.SetProperty("color", color);
            marker.SetProperty("size", 4);
            trace.SetProperty("marker", marker);
        }
        return trace;
    }

    private static DynamicObj.DynamicObj Line(string color, double width, string? dash = null)
    {
        var line = new DynamicObj.DynamicObj();
        line.SetProperty("color", color);
        line.SetProperty("width", width);
        if (dash is not null)
        {
            line.SetProperty("dash", dash);
        }
        return line;
    }
}
