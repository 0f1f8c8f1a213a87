using System.CommandLine;
using System.Globalization;
using SerNotebooks.Charts;
using SerNotebooks.Evaluation;
using Spectre.Console;

namespace SerNotebooks.Cli.Commands;

/// <summary>
/// <c>sernb evaluate &lt;predictions.csv&gt; [--classes a,b,...] [--charts DIR]</c>: recomputes the metrics of a
/// predictions file (per class, macro/weighted/micro, accuracy, confusion matrix) and optionally writes the
/// confusion heatmaps and per-class chart as standalone HTML.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create() => Create(AnsiConsole.Console);

    public static Command Create(IAnsiConsole console)
    {
        var predictions = new Argument<FileInfo>("predictions") { Description = "Per-utterance predictions CSV (id,true_label,predicted_label,prob_<class>...; see EVALUATION.md)" };
        var classes = new Option<string?>("--classes") { Description = "Comma-separated label set, in order (needed when the file has no prob_<class> columns)" };
        var charts = new Option<DirectoryInfo?>("--charts") { Description = "Folder to write confusion-counts.html, confusion-normalised.html and per-class.html (plotly.js inlined, open offline)" };
        var command = new Command("evaluate", "Recompute P/R/F1 (scikit-learn's macro definition), accuracy and the confusion matrix from a predictions file");
        command.Arguments.Add(predictions);
        command.Options.Add(classes);
        command.Options.Add(charts);
        command.SetAction(parseResult => Run(
            console,
            parseResult.GetValue(predictions)!,
            parseResult.GetValue(classes),
            parseResult.GetValue(charts)));
        return command;
    }

    private static int Run(IAnsiConsole console, FileInfo predictionsFile, string? classList, DirectoryInfo? chartsFolder)
    {
        ClassificationReport report;
        try
        {
            var classNames = classList?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            report = ClassificationReport.FromPredictions(PredictionsFile.Read(predictionsFile.FullName, classNames));
        }
        catch (EvaluationFormatException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        Render(console, predictionsFile.Name, report);
        if (chartsFolder is not null)
        {
            try
            {
                var name = Path.GetFileNameWithoutExtension(predictionsFile.Name);
                ChartFile.SaveSelfContained(EvaluationCharts.ConfusionMatrixHeatmap(report.Confusion), Path.Combine(chartsFolder.FullName, "confusion-counts.html"), $"{name}: confusion matrix");
                ChartFile.SaveSelfContained(EvaluationCharts.ConfusionMatrixHeatmap(report.Confusion, rowNormalised: true), Path.Combine(chartsFolder.FullName, "confusion-normalised.html"), $"{name}: confusion matrix (row shares)");
                ChartFile.SaveSelfContained(EvaluationCharts.PerClassScores(report), Path.Combine(chartsFolder.FullName, "per-class.html"), $"{name}: per-class scores");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] cannot write charts to {chartsFolder.FullName}: {e.Message}");
                return 1;
            }
            console.MarkupLineInterpolated($"Charts written to {chartsFolder.FullName}");
        }
        return 0;
    }

    private static void Render(IAnsiConsole console, string fileName, ClassificationReport report)
    {
        static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{fileName}: {report.Count} utterances, {report.ClassNames.Count} classes"));
        foreach (var column in new[] { "class", "precision", "recall", "F1", "support", "predicted" })
        {
            table.AddColumn(column == "class" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        }
        foreach (var c in report.PerClass)
        {
            table.AddRow(Markup.Escape(c.ClassName), F(c.Precision) + (c.PrecisionUndefined ? " *" : ""), F(c.Recall), F(c.F1),
                c.Support.ToString(CultureInfo.InvariantCulture), c.PredictedCount.ToString(CultureInfo.InvariantCulture));
        }
        table.AddEmptyRow();
        foreach (var (name, scores) in new[] { ("macro avg", report.Macro), ("weighted avg", report.Weighted), ("micro avg", report.Micro) })
        {
            table.AddRow(name, F(scores.Precision), F(scores.Recall), F(scores.F1), report.Count.ToString(CultureInfo.InvariantCulture), "");
        }
        console.Write(table);
        console.MarkupLineInterpolated($"accuracy {F(report.Accuracy)}");
        if (report.UndefinedPrecisionClasses.Count > 0)
        {
            console.MarkupLineInterpolated($"[yellow]* never predicted[/] (precision 0/0, counted as 0 in the macro average, as scikit-learn with zero_division=0): {string.Join(", ", report.UndefinedPrecisionClasses)}");
        }
        if (report.UndefinedRecallClasses.Count > 0)
        {
            console.MarkupLineInterpolated($"[yellow]absent from the truth[/] (recall 0/0, counted as 0): {string.Join(", ", report.UndefinedRecallClasses)}");
        }
        var confusion = new Table().Border(TableBorder.Simple).Title("confusion matrix (rows: true, columns: predicted)");
        confusion.AddColumn("");
        foreach (var name in report.ClassNames)
        {
            confusion.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        }
        for (var i = 0; i < report.ClassNames.Count; i++)
        {
            var row = i;
            confusion.AddRow([Markup.Escape(report.ClassNames[i]), .. Enumerable.Range(0, report.ClassNames.Count).Select(j => report.Confusion[row, j].ToString(CultureInfo.InvariantCulture))]);
        }
        console.Write(confusion);
    }
}
