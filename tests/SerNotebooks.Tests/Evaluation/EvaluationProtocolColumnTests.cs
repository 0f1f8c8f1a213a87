using SerNotebooks.Evaluation;

namespace SerNotebooks.Tests.Evaluation;

public sealed class EvaluationProtocolColumnTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sernb-protocol-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TheRunsTableNamesItsProtocolAndReadsBackWithoutTakingItForAMetric()
    {
        RunMetrics[] runs =
        [
            AblationSummaryTests.Run("baseline", 1, 0.4, 0.4, 0.4, fold: "1"),
            AblationSummaryTests.Run("energy", 1, 0.5, 0.5, 0.5, fold: "1"),
            AblationSummaryTests.Run("baseline", 1, 0.3, 0.3, 0.3, fold: "2"),
            AblationSummaryTests.Run("energy", 1, 0.6, 0.6, 0.6, fold: "2"),
        ];
        var path = Path.Combine(_directory, "results.csv");

        ResultsTable.WriteCsv(ResultsTable.RunsFrame(runs, "2-fold-by-actor"), path);

        Assert.StartsWith("configuration,seed,fold,evaluation,macro_precision,", File.ReadLines(path).First());
        Assert.Equal("2-fold-by-actor", ResultsTable.EvaluationOf(ResultsTable.ReadRunsCsv(path)));
        var read = ResultsTable.ReadRuns(path);
        Assert.Equal(runs.Select(r => (r.Configuration, r.Fold)), read.Select(r => (r.Configuration, r.Fold)));
        Assert.Equal(runs[0].Metrics.Keys.Order(), read[0].Metrics.Keys.Order());
    }

    [Fact]
    public void TheSummaryAndTheDisplayedAblationTableCarryTheProtocol()
    {
        var summary = AblationSummary.Compute(AblationSummaryTests.ThreeConfigurationsThreeSeeds(), "baseline", evaluation: "test-split");
        var path = Path.Combine(_directory, "summary.csv");

        ResultsTable.WriteCsv(ResultsTable.SummaryFrame(summary), path, ResultsTable.ConfigurationColumn);
        var frame = ResultsTable.ReadSummaryCsv(path);

        Assert.StartsWith("configuration,evaluation,runs,", File.ReadLines(path).First());
        Assert.Equal("test-split", ResultsTable.EvaluationOf(frame));
        Assert.Equal(3, frame.GetColumn<int>(ResultsTable.RunsColumn).Get("energy"));
        var table = ReportFrames.AblationTable(summary);
        Assert.Equal(["test-split"], table.GetColumn<string>(ResultsTable.EvaluationColumn).Values.Distinct());
        // Without a protocol (tables written before the column existed) nothing changes.
        Assert.Null(ResultsTable.EvaluationOf(ResultsTable.SummaryFrame(AblationSummary.Compute(AblationSummaryTests.ThreeConfigurationsThreeSeeds(), "baseline"))));
    }
}
