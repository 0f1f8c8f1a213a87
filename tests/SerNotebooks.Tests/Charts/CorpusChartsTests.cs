using SerNotebooks.Charts;
using SerNotebooks.Data;
using SerNotebooks.Tests.Data;

namespace SerNotebooks.Tests.Charts;

public class CorpusChartsTests
{
    [Fact]
    public void ClipsChartHasOneBarSeriesPerSplitWithTheTablesCounts()
    {
        var counts = CorpusTables.ClipsPerClassAndSplit(CorpusTablesTests.SmallCorpus());

        var chart = CorpusCharts.ClipsPerClassAndSplit(counts);

        Assert.Equal(["train", "dev", "test"], ChartJson.Traces(chart).Select(t => (string?)t["name"]));
        var train = ChartJson.Trace(chart, "train");
        Assert.Equal(["anger", "sadness"], train["x"]!.Values<string>());
        Assert.Equal([2.0, 1.0], ChartJson.Numbers(train["y"]));
    }

    [Fact]
    public void SpeakerChartStacksSexesAndSaysWhetherTheSplitIsSpeakerIndependent()
    {
        var independent = CorpusCharts.SpeakersPerSplit(CorpusTables.SpeakersPerSplit(CorpusTablesTests.SmallCorpus()));
        Assert.Contains("speaker-independent (no speaker in two splits)", (string?)ChartJson.Layout(independent)["title"]!["text"]);
        Assert.Equal([1.0, 0.0, 1.0], ChartJson.Numbers(ChartJson.Trace(independent, "female")["y"]));

        var leakyChart = CorpusCharts.SpeakersPerSplit(CorpusTables.SpeakersPerSplit(CorpusTablesTests.SmallCorpus(speakerInTwoSplits: true)));
        Assert.Contains("NOT speaker-independent: 1 speaker", (string?)ChartJson.Layout(leakyChart)["title"]!["text"]);
    }
}
