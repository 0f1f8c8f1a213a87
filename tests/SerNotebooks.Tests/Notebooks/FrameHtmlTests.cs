using Deedle;
using SerNotebooks.Evaluation;
using SerNotebooks.Notebooks;

namespace SerNotebooks.Tests.Notebooks;

public sealed class FrameHtmlTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sernb-frame-html-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void AResultsTableReadBackFromCsvShowsRoundedNumbersLikeTheFrameItWasWrittenFrom()
    {
        var runs = new[]
        {
            new RunMetrics("baseline", 1, null, new Dictionary<string, double> { [MetricNames.MacroF1] = 1.0 / 36, [MetricNames.Accuracy] = 1.0 / 6 }),
            new RunMetrics("energy-variation", 1, null, new Dictionary<string, double> { [MetricNames.MacroF1] = 0.25, [MetricNames.Accuracy] = 2.0 / 3 }),
        };
        var written = ResultsTable.RunsFrame(runs);
        var path = Path.Combine(directory, "results.csv");
        ResultsTable.WriteCsv(written, path);

        var html = FrameHtml.Render(ResultsTable.ReadRunsCsv(path));

        Assert.Equal(FrameHtml.Render(written), html);
        Assert.Contains("<td>0.0278</td><td>0.1667</td>", html);
        Assert.Contains("<td>energy-variation</td><td>1</td><td>0.25</td><td>0.6667</td>", html);
        Assert.DoesNotContain("0.02777", html);
    }

    [Fact]
    public void LongFramesKeepTheirHeadAndTailAndSayHowBigTheyAre()
    {
        var keys = Enumerable.Range(0, 100).ToArray();
        var frame = Frame.FromColumns(new[] { KeyValuePair.Create("value", new Series<int, double>(keys, keys.Select(k => k / 8.0).ToArray())) });

        var html = FrameHtml.Render(frame);

        Assert.Contains("<tr><th>0</th><td>0</td></tr>", html);
        Assert.Contains("<tr><th>99</th><td>12.375</td></tr>", html);
        Assert.DoesNotContain("<tr><th>50</th>", html);
        Assert.Contains("<tr><td>…</td><td>…</td></tr>", html);
        Assert.Contains("100 rows × 1 columns", html);
    }
}
