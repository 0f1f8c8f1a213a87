using SerNotebooks.Charts;
using SerNotebooks.Pretext;
using SerNotebooks.Tests.Pretext;

namespace SerNotebooks.Tests.Charts;

public class LabelChartsTests
{
    [Fact]
    public void ClassSharesAreFractionsOfEachReferenceRow()
    {
        var run = HandLabelledRun.Create();
        var contingency = LabelReport.ReferenceContingency(run, HandLabelledRun.ChunkTask, "latent_emotion", "chunk");

        var chart = LabelRelationCharts.ClassSharesByReference(contingency, HandLabelledRun.ChunkTask, "latent_emotion");

        // anger: chunks low, high, high, high (c1, c2); sadness: one low chunk (c3).
        var high = ChartJson.Trace(chart, "high");
        Assert.Equal(["anger", "sadness"], high["x"]!.Values<string>());
        Assert.Equal([0.75, 0.0], ChartJson.Numbers(high["y"]));
        Assert.Equal([0.25, 1.0], ChartJson.Numbers(ChartJson.Trace(chart, "low")["y"]));
        Assert.Contains("3 of 4", (string?)high["hovertext"]![0]);
    }

    [Fact]
    public void HistogramHoldsEveryLabelledChunkOnceByItsLabel()
    {
        var run = HandLabelledRun.Create();

        var values = ThresholdCharts.LabelledChunkValues(run, HandLabelledRun.ChunkTask);
        var chart = ThresholdCharts.ChunkValueHistogram(run, HandLabelledRun.ChunkTask, 5.0, "dB", bins: 4);

        Assert.Equal([(7.0, 1), (8.0, 1), (3.0, 0), (9.0, 1), (2.0, 0)], values);
        Assert.Equal(2, ChartJson.Numbers(ChartJson.Trace(chart, "low chunks")["y"]).Sum());
        Assert.Equal(3, ChartJson.Numbers(ChartJson.Trace(chart, "high chunks")["y"]).Sum());
        Assert.Equal([5.0, 5.0], ChartJson.Numbers(ChartJson.Trace(chart, "threshold 5")["x"]));
        Assert.Throws<ArgumentException>(() => ThresholdCharts.ChunkValueHistogram(run, HandLabelledRun.UtteranceTask, null, "x"));
    }
}
