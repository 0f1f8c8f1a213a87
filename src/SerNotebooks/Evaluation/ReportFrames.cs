using System.Globalization;
using Deedle;

namespace SerNotebooks.Evaluation;

/// <summary>
/// Deedle frames for display (notebooks, console): a classification report in scikit-learn's
/// <c>classification_report</c> layout, a labelled confusion matrix, and the ablation table with
/// "mean ± std" cells and p-values.
/// </summary>
public static class ReportFrames
{
    /// <summary>The <see cref="AblationTable"/> column of the number of pairs and what a pair is.</summary>
    public const string PairsColumn = "pairs";

    /// <summary>Rows: each class, then "macro avg" and "weighted avg"; columns precision, recall, f1, support,
    /// predicted. Same layout as sklearn's <c>classification_report</c>.</summary>
    public static Frame<string, string> ClassificationTable(ClassificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.PerClass.Select(c => c.ClassName).Append("macro avg").Append("weighted avg").ToArray();
        var total = report.Count;
        var builder = new FrameBuilder.Columns<string, string>();
        builder.Add("precision", new Series<string, double>(rows, report.PerClass.Select(c => c.Precision).Append(report.Macro.Precision).Append(report.Weighted.Precision).ToArray()));
        builder.Add("recall", new Series<string, double>(rows, report.PerClass.Select(c => c.Recall).Append(report.Macro.Recall).Append(report.Weighted.Recall).ToArray()));
        builder.Add("f1", new Series<string, double>(rows, report.PerClass.Select(c => c.F1).Append(report.Macro.F1).Append(report.Weighted.F1).ToArray()));
        builder.Add("support", new Series<string, long>(rows, report.PerClass.Select(c => c.Support).Append(total).Append(total).ToArray()));
        builder.Add("predicted", new Series<string, long>(rows, report.PerClass.Select(c => c.PredictedCount).Append(total).Append(total).ToArray()));
        return builder.Frame;
    }

    /// <summary>Rows = true classes, columns = predicted classes, cells = counts.</summary>
    public static Frame<string, string> ConfusionTable(ConfusionMatrix confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var builder = new FrameBuilder.Columns<string, string>();
        for (var j = 0; j < confusion.ClassCount; j++)
        {
            var column = j;
            builder.Add(confusion.ClassNames[j], new Series<string, long>(confusion.ClassNames.ToArray(),
                Enumerable.Range(0, confusion.ClassCount).Select(i => confusion[i, column]).ToArray()));
        }
        return builder.Frame;
    }

    /// <summary>
    /// The ablation table for reading: per configuration, the evaluation protocol (when the summary names it), runs,
    /// the pairs of the paired tests ("3 seeds", "3 seeds (mean over 4 folds)"), "mean ± std" of each metric in
    /// <paramref name="metrics"/> (default macro P/R/F1 and accuracy) — macro-F1 followed by its 95 % speaker-bootstrap
    /// interval when the summary has one — and for each compared metric the relative change versus the baseline and
    /// both p-values, raw and Holm-adjusted (formatted; the baseline row shows "—").
    /// </summary>
    public static Frame<string, string> AblationTable(AblationSummary summary, IReadOnlyList<string>? metrics = null, string numberFormat = "0.000")
    {
        ArgumentNullException.ThrowIfNull(summary);
        var shown = metrics ?? [MetricNames.MacroPrecision, MetricNames.MacroRecall, MetricNames.MacroF1, MetricNames.Accuracy];
        var keys = summary.Configurations.Select(c => c.Configuration).ToArray();
        var builder = new FrameBuilder.Columns<string, string>();
        void Add(string column, Func<ConfigurationSummary, string> cell) =>
            builder.Add(column, new Series<string, string>(keys, summary.Configurations.Select(cell).ToArray()));
        if (summary.Evaluation is { } evaluation)
        {
            Add(ResultsTable.EvaluationColumn, _ => evaluation);
        }
        if (summary.Configurations.Any(c => c.IsControl))
        {
            Add(ResultsTable.ControlColumn, c => c.IsControl ? "control" : "");
        }
        Add(ResultsTable.RunsColumn, c => c.Runs.ToString(CultureInfo.InvariantCulture));
        Add(PairsColumn, c => c.Pairing is { } pairing ? PairsText(pairing) : "—");
        foreach (var metric in shown)
        {
            Add(metric, c => c[metric].Format(numberFormat));
            if (metric == MetricNames.MacroF1 && summary.HasMacroF1Intervals)
            {
                Add(IntervalColumn(metric), c => c.MacroF1Interval!.Format(numberFormat));
            }
        }
        foreach (var metric in summary.ComparedMetrics)
        {
            string Cell(ConfigurationSummary c, Func<BaselineComparison, double> value, string format) =>
                c.VersusBaseline.TryGetValue(metric, out var comparison) && !double.IsNaN(value(comparison))
                    ? value(comparison).ToString(format, CultureInfo.InvariantCulture)
                    : "—";
            Add($"{metric} Δ%", c => Cell(c, x => x.RelativeChangePercent, "+0.0;-0.0;0.0"));
            Add($"{metric} t-test p", c => Cell(c, x => x.TTest.PValue, "0.000"));
            Add($"{metric} t-test p (Holm)", c => Cell(c, x => x.TTestPHolm, "0.000"));
            Add($"{metric} Wilcoxon p", c => Cell(c, x => x.Wilcoxon.PValue, "0.000"));
            Add($"{metric} Wilcoxon p (Holm)", c => Cell(c, x => x.WilcoxonPHolm, "0.000"));
        }
        return builder.Frame;
    }

    /// <summary>The column of a metric's bootstrap interval: <c>macro_f1 95% CI</c>.</summary>
    public static string IntervalColumn(string metric) => $"{metric} 95% CI";

    /// <summary>"3 seeds", or "3 seeds (mean over 4 folds)" under k-fold.</summary>
    public static string PairsText(SeedPairing pairing)
    {
        ArgumentNullException.ThrowIfNull(pairing);
        return (pairing.Pairs == 1 ? "1 seed" : $"{pairing.Pairs} seeds") + pairing.FoldsNote;
    }
}
