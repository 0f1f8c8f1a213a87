using System.CommandLine;
using System.Globalization;
using SerNotebooks.Charts;
using SerNotebooks.Cli.Commands;
using SerNotebooks.Evaluation;
using Spectre.Console;

namespace SerNotebooks.Tests.Evaluation;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sernb-evaluate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int ExitCode, string Output) Evaluate(params string[] args) =>
        CliHarness.Run(EvaluateCommand.Create, ["evaluate", .. args]);

    [Fact]
    public void PrintsMetricsNamesNeverPredictedClassesAndWritesOfflineCharts()
    {
        var path = Path.Combine(_directory, "predictions.csv");
        var set = PredictionSet.FromIndices(["anger", "fear", "sadness"], ["u1", "u2", "u3", "u4"], [0, 1, 2, 2], [0, 0, 2, 0],
            [[0.8, 0.1, 0.1], [0.5, 0.4, 0.1], [0.1, 0.1, 0.8], [0.6, 0.1, 0.3]]);
        PredictionsFile.Write(path, set);
        var charts = Path.Combine(_directory, "charts");

        var (exit, output) = Evaluate(path, "--charts", charts);

        Assert.Equal(0, exit);
        var macroF1 = ClassificationReport.FromPredictions(set).Macro.F1.ToString("0.0000", CultureInfo.InvariantCulture);
        Assert.Contains("macro avg", output);
        Assert.Contains(macroF1, output);
        Assert.Contains("never predicted", output);
        Assert.Contains("fear", output.Split('\n').Single(l => l.Contains("never predicted")));
        foreach (var file in new[] { "confusion-counts.html", "confusion-normalised.html", "per-class.html" })
        {
            var html = File.ReadAllText(Path.Combine(charts, file));
            Assert.Null(ChartFile.ExternalScriptSource(html));
            Assert.Contains("\"sadness\"", html);
        }
    }

    [Fact]
    public void BadFileExitsOneNamingFileAndLine()
    {
        var path = Path.Combine(_directory, "bad.csv");
        File.WriteAllText(path, "id,true_label,predicted_label,prob_a,prob_b\nu1,a,c,0.5,0.5\n");

        var (exit, output) = Evaluate(path);

        Assert.Equal(1, exit);
        Assert.Contains($"{path}:2: predicted_label 'c' is not in the label set", output.Replace("\n", ""));
    }
}
