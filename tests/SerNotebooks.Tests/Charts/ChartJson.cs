using Newtonsoft.Json.Linq;
using Plotly.NET;

namespace SerNotebooks.Tests.Charts;

/// <summary>A chart's plotly.js figure as JSON, the way the browser receives it.</summary>
internal static class ChartJson
{
    public static JObject Figure(GenericChart chart) => JObject.Parse(GenericChart.toFigureJson(chart));

    public static JArray Traces(GenericChart chart) => (JArray)Figure(chart)["data"]!;

    public static JObject Layout(GenericChart chart) => (JObject)Figure(chart)["layout"]!;

    public static JToken Trace(GenericChart chart, string name) =>
        Assert.Single(Traces(chart), t => (string?)t["name"] == name);

    /// <summary>The non-null numbers of an array that may contain nulls (line breaks).</summary>
    public static double[] Numbers(JToken? array) =>
        array!.Where(v => v.Type != JTokenType.Null).Select(v => v.Value<double>()).ToArray();
}
