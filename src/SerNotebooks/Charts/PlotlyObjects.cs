using DynamicObj;
using Plotly.NET;

namespace SerNotebooks.Charts;

/// <summary>
/// Builds plotly.js trace and layout objects by their plotly.js attribute names. Plotly.NET's typed style
/// functions take every F# optional argument positionally from C#; setting the documented plotly.js
/// attributes directly is clearer and keeps each chart's data inspectable (names, arrays) in tests.
/// </summary>
internal static class PlotlyObjects
{
    public static Trace2D Bar(string name, IReadOnlyList<string> x, IReadOnlyList<double> y, IReadOnlyList<double>? errorY = null, IReadOnlyList<string>? hoverText = null)
    {
        var trace = new Trace2D("bar");
        trace.SetProperty("name", name);
        trace.SetProperty("x", x.ToArray());
        trace.SetProperty("y", Nullable(y));
        if (errorY is not null)
        {
            trace.SetProperty("error_y", ErrorArray(errorY));
        }
        if (hoverText is not null)
        {
            trace.SetProperty("hovertext", hoverText.ToArray());
        }
        return trace;
    }

    public static Trace2D Lines(string name, IReadOnlyList<int> x, IReadOnlyList<double> y, string yAxis = "y")
    {
        var trace = new Trace2D("scatter");
        trace.SetProperty("name", name);
        trace.SetProperty("mode", "lines+markers");
        trace.SetProperty("x", x.ToArray());
        trace.SetProperty("y", Nullable(y));
        trace.SetProperty("yaxis", yAxis);
        trace.SetProperty("connectgaps", true);
        return trace;
    }

    public static Trace2D Heatmap(string name, IReadOnlyList<string> x, IReadOnlyList<string> y, double[][] z, string[][] text, string colorScale)
    {
        var trace = new Trace2D("heatmap");
        trace.SetProperty("name", name);
        trace.SetProperty("x", x.ToArray());
        trace.SetProperty("y", y.ToArray());
        trace.SetProperty("z", z);
        trace.SetProperty("text", text);
        trace.SetProperty("texttemplate", "%{text}");
        trace.SetProperty("colorscale", colorScale);
        // plotly.js's sequential scales run dark → light; reversed, larger values are darker.
        trace.SetProperty("reversescale", true);
        return trace;
    }

    /// <summary>An error-bar object of explicit symmetric half-widths; undefined widths (NaN) draw no bar.</summary>
    public static DynamicObj.DynamicObj ErrorArray(IReadOnlyList<double> halfWidths)
    {
        var error = new DynamicObj.DynamicObj();
        error.SetProperty("type", "data");
        error.SetProperty("array", halfWidths.Select(v => double.IsFinite(v) ? v : 0.0).ToArray());
        error.SetProperty("visible", true);
        return error;
    }

    public static DynamicObj.DynamicObj Title(string text)
    {
        var title = new DynamicObj.DynamicObj();
        title.SetProperty("text", text);
        return title;
    }

    public static DynamicObj.DynamicObj Axis(string title, params (string Name, object Value)[] extra)
    {
        var axis = new DynamicObj.DynamicObj();
        axis.SetProperty("title", Title(title));
        foreach (var (name, value) in extra)
        {
            axis.SetProperty(name, value);
        }
        return axis;
    }

    public static Layout Layout(string title, DynamicObj.DynamicObj xAxis, DynamicObj.DynamicObj yAxis, params (string Name, object Value)[] extra)
    {
        var layout = new Layout();
        layout.SetProperty("title", Title(title));
        layout.SetProperty("xaxis", xAxis);
        layout.SetProperty("yaxis", yAxis);
        foreach (var (name, value) in extra)
        {
            layout.SetProperty(name, value);
        }
        return layout;
    }

    // useDefaults: false — Plotly.NET's default template takes 1–4 s to serialise per chart here (measured),
    // which would dominate notebook and report rendering; plotly.js's built-in defaults look the same.
    public static GenericChart Chart(IEnumerable<Trace> traces, Layout layout) =>
        GenericChart.addLayout(layout, GenericChart.ofTraceObjects(false, traces.ToArray()));

    // plotly.js draws a gap for null; NaN would be serialised as the string "NaN".
    private static double?[] Nullable(IReadOnlyList<double> values) =>
        values.Select(v => double.IsFinite(v) ? v : (double?)null).ToArray();
}
