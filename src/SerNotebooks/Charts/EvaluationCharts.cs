using System.Globalization;
using Plotly.NET;
using SerNotebooks.Evaluation;

namespace SerNotebooks.Charts;

/// <summary>
/// The evaluation charts of the notebooks and the report, as Plotly.NET charts (displayable in a notebook,
/// savable with <see cref="ChartFile.SaveSelfContained"/>). Error bars are ± one sample standard deviation
/// over seeds/folds; a configuration with a single run has no bar.
/// </summary>
public static class EvaluationCharts
{
    /// <summary>A configuration's name on a chart: controls say so, so they are never read as one of the paper's configurations.</summary>
    public static string Label(ConfigurationSummary configuration) =>
        configuration.IsControl ? $"{configuration.Configuration} (control)" : configuration.Configuration;

    /// <summary>Grouped bars: one trace per metric (macro precision, recall, F1 by default), one group per
    /// configuration, height = mean, error bar = std.</summary>
    public static GenericChart MacroScores(AblationSummary summary, IReadOnlyList<string>? metrics = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var configurations = summary.Configurations.Select(Label).ToArray();
        var traces = (metrics ?? MetricNames.Headline).Select(metric => PlotlyObjects.Bar(
            DisplayName(metric),
            configurations,
            summary.Configurations.Select(c => c[metric].Mean).ToArray(),
            summary.Configurations.Select(c => c[metric].Std).ToArray(),
            summary.Configurations.Select(c => $"{c.Configuration}: {c[metric].Format()} over {c[metric].Count} run(s)").ToArray()));
        var runs = summary.Configurations.Select(c => c.Runs).Distinct().ToArray();
        return PlotlyObjects.Chart(traces, PlotlyObjects.Layout(
            title ?? $"Macro scores per configuration (mean ± std over {(runs.Length == 1 ? runs[0].ToString(CultureInfo.InvariantCulture) : "varying numbers of")} runs)",
            PlotlyObjects.Axis("configuration"),
            PlotlyObjects.Axis("score", ("rangemode", "tozero")),
            ("barmode", "group")));
    }

    /// <summary>
    /// Bars of each configuration's mean paired difference from the baseline (one trace per compared metric),
    /// in percentage points, or in percent of the baseline mean when <paramref name="relative"/>; error bar =
    /// std of the paired (seed-level) differences. Hover text gives the pairs and both tests' p-values, raw and Holm-adjusted.
    /// </summary>
    public static GenericChart DeltaVersusBaseline(AblationSummary summary, bool relative = false, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var others = summary.Configurations.Where(c => c.Configuration != summary.Baseline).ToArray();
        if (others.Length == 0)
        {
            throw new ArgumentException("Only the baseline was run: there is nothing to compare.", nameof(summary));
        }
        var configurations = others.Select(Label).ToArray();
        var traces = summary.ComparedMetrics.Select(metric =>
        {
            var comparisons = others.Select(c => c.VersusBaseline[metric]).ToArray();
            return PlotlyObjects.Bar(
                DisplayName(metric),
                configurations,
                comparisons.Select(c => relative ? c.RelativeChangePercent : 100 * c.MeanDifference).ToArray(),
                comparisons.Select(c => c.StdDifference * (relative ? 100 / c.BaselineMean : 100)).ToArray(),
                comparisons.Select((c, i) => string.Create(CultureInfo.InvariantCulture,
                    $"{configurations[i]} vs {summary.Baseline}: {c.Pairs} pairs ({others[i].Pairing!.Unit}), paired t p = {FormatP(c.TTest.PValue)} (Holm {FormatP(c.TTestPHolm)}), Wilcoxon p = {FormatP(c.Wilcoxon.PValue)} (Holm {FormatP(c.WilcoxonPHolm)})")).ToArray());
        });
        return PlotlyObjects.Chart(traces, PlotlyObjects.Layout(
            title ?? $"Change versus {summary.Baseline} (mean ± std of paired differences)",
            PlotlyObjects.Axis("configuration"),
            PlotlyObjects.Axis(relative ? $"change (% of {summary.Baseline})" : "Δ (percentage points)", ("zeroline", true)),
            ("barmode", "group")));
    }

    /// <summary>Confusion-matrix heatmap, true classes top to bottom and predicted classes left to right;
    /// counts, or each row divided by its support (the diagonal is then per-class recall).</summary>
    public static GenericChart ConfusionMatrixHeatmap(ConfusionMatrix confusion, bool rowNormalised = false, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var counts = confusion.ToRows();
        double[][] z;
        string[][] text;
        if (rowNormalised)
        {
            z = confusion.ToRowNormalised();
            text = z.Select((row, i) => row.Select((v, j) => string.Create(CultureInfo.InvariantCulture, $"{100 * v:0}% ({counts[i][j]})")).ToArray()).ToArray();
        }
        else
        {
            z = counts.Select(row => row.Select(v => (double)v).ToArray()).ToArray();
            text = counts.Select(row => row.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()).ToArray();
        }
        var trace = PlotlyObjects.Heatmap(rowNormalised ? "row-normalised" : "counts", confusion.ClassNames, confusion.ClassNames, z, text, "Blues");
        if (rowNormalised)
        {
            trace.SetProperty("zmin", 0.0);
            trace.SetProperty("zmax", 1.0);
        }
        return PlotlyObjects.Chart([trace], PlotlyObjects.Layout(
            title ?? (rowNormalised ? "Confusion matrix (share of each true class)" : $"Confusion matrix (counts, {confusion.Total} utterances)"),
            PlotlyObjects.Axis("predicted", ("side", "bottom")),
            PlotlyObjects.Axis("true", ("autorange", "reversed"))));
    }

    /// <summary>Training curves: one line per series against the epoch; losses on the left axis, other
    /// metrics (dev macro-F1, accuracy, ...) on a right axis when both kinds are present. By default every
    /// series except wall-time columns (<see cref="TrainingHistory.IsTiming"/>); pass
    /// <paramref name="series"/> to choose.</summary>
    public static GenericChart TrainingCurves(TrainingHistory history, IReadOnlyList<string>? series = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        var names = series ?? history.SeriesNames.Where(s => !TrainingHistory.IsTiming(s)).ToArray();
        foreach (var name in names)
        {
            if (!history.Series.ContainsKey(name))
            {
                throw new ArgumentException($"No series '{name}' (has: {string.Join(", ", history.SeriesNames)}).", nameof(series));
            }
        }
        if (names.Count == 0)
        {
            throw new ArgumentException("The training history has no series to draw.", nameof(history));
        }
        var hasLoss = names.Any(TrainingHistory.IsLoss);
        var hasMetric = names.Any(s => !TrainingHistory.IsLoss(s));
        var twoAxes = hasLoss && hasMetric;
        var traces = names.Select(name =>
            PlotlyObjects.Lines(name, history.Epochs, history.Series[name], twoAxes && !TrainingHistory.IsLoss(name) ? "y2" : "y"));
        var extra = new List<(string, object)> { ("legend", Legend()) };
        if (twoAxes)
        {
            extra.Add(("yaxis2", PlotlyObjects.Axis("metric", ("overlaying", "y"), ("side", "right"))));
        }
        return PlotlyObjects.Chart(traces, PlotlyObjects.Layout(
            title ?? "Training curves",
            PlotlyObjects.Axis("epoch", ("dtick", 1)),
            PlotlyObjects.Axis(hasLoss ? "loss" : "metric"),
            [.. extra]));
    }

    /// <summary>One series (e.g. <c>dev_macro_f1</c>) of several runs on one plot, a line per run.</summary>
    public static GenericChart TrainingCurves(IReadOnlyDictionary<string, TrainingHistory> runs, string seriesName, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentException.ThrowIfNullOrWhiteSpace(seriesName);
        var traces = runs.Select(run => run.Value.Series.TryGetValue(seriesName, out var values)
            ? PlotlyObjects.Lines(run.Key, run.Value.Epochs, values)
            : throw new ArgumentException($"Run '{run.Key}' has no series '{seriesName}' (has: {string.Join(", ", run.Value.SeriesNames)}).", nameof(seriesName)))
            .ToArray();
        return PlotlyObjects.Chart(traces, PlotlyObjects.Layout(
            title ?? $"{seriesName} per epoch",
            PlotlyObjects.Axis("epoch", ("dtick", 1)),
            PlotlyObjects.Axis(seriesName),
            ("legend", Legend())));
    }

    /// <summary>Grouped bars of per-class F1: one trace per configuration, one group per class, mean ± std.</summary>
    public static GenericChart PerClassF1(AblationSummary summary, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var metrics = summary.MetricNamesInOrder.Where(m => m.StartsWith(MetricNames.PerClassF1Prefix, StringComparison.Ordinal)).ToArray();
        if (metrics.Length == 0)
        {
            throw new ArgumentException($"The runs have no per-class F1 columns ('{MetricNames.PerClassF1Prefix}<class>').", nameof(summary));
        }
        var classes = metrics.Select(m => m[MetricNames.PerClassF1Prefix.Length..]).ToArray();
        var traces = summary.Configurations.Select(c => PlotlyObjects.Bar(
            Label(c),
            classes,
            metrics.Select(m => c[m].Mean).ToArray(),
            metrics.Select(m => c[m].Std).ToArray()));
        return PlotlyObjects.Chart(traces, PlotlyObjects.Layout(
            title ?? "Per-class F1 (mean ± std)",
            PlotlyObjects.Axis("class"),
            PlotlyObjects.Axis("F1", ("rangemode", "tozero")),
            ("barmode", "group")));
    }

    /// <summary>Per-class precision, recall and F1 of one run (one trace each), with each class's support in
    /// the hover text; a class never predicted is marked there.</summary>
    public static GenericChart PerClassScores(ClassificationReport report, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var classes = report.ClassNames;
        string Hover(ClassScores c) => string.Create(CultureInfo.InvariantCulture,
            $"{c.ClassName}: support {c.Support}, predicted {c.PredictedCount} time(s){(c.PrecisionUndefined ? " — never predicted, precision counted as 0" : "")}");
        var traces = new[]
        {
            PlotlyObjects.Bar("precision", classes, report.PerClass.Select(c => c.Precision).ToArray(), hoverText: report.PerClass.Select(Hover).ToArray()),
            PlotlyObjects.Bar("recall", classes, report.PerClass.Select(c => c.Recall).ToArray(), hoverText: report.PerClass.Select(Hover).ToArray()),
            PlotlyObjects.Bar("F1", classes, report.PerClass.Select(c => c.F1).ToArray(), hoverText: report.PerClass.Select(Hover).ToArray()),
        };
        return PlotlyObjects.Chart(traces, PlotlyObjects.Layout(
            title ?? string.Create(CultureInfo.InvariantCulture, $"Per-class scores (macro F1 {report.Macro.F1:0.000}, accuracy {report.Accuracy:0.000})"),
            PlotlyObjects.Axis("class"),
            PlotlyObjects.Axis("score", ("range", new[] { 0.0, 1.0 })),
            ("barmode", "group")));
    }

    /// <summary>Human-readable metric name for legends: <c>macro_f1</c> → "macro F1".</summary>
    public static string DisplayName(string metric) => metric switch
    {
        MetricNames.MacroPrecision => "macro precision",
        MetricNames.MacroRecall => "macro recall",
        MetricNames.MacroF1 => "macro F1",
        MetricNames.MicroF1 => "micro F1",
        MetricNames.WeightedF1 => "weighted F1",
        MetricNames.Accuracy => "accuracy",
        _ when metric.StartsWith(MetricNames.PerClassF1Prefix, StringComparison.Ordinal) => $"F1 {metric[MetricNames.PerClassF1Prefix.Length..]}",
        _ => metric,
    };

    private static string FormatP(double p) => double.IsNaN(p) ? "n/a" : p.ToString("0.0000", CultureInfo.InvariantCulture);

    private static DynamicObj.DynamicObj Legend()
    {
        var legend = new DynamicObj.DynamicObj();
        legend.SetProperty("orientation", "h");
        legend.SetProperty("y", -0.2);
        return legend;
    }
}
