namespace SerNotebooks.Evaluation;

/// <summary>Column names of metrics in results tables (lower snake case, as in the CSV files).</summary>
public static class MetricNames
{
    public const string MacroPrecision = "macro_precision";
    public const string MacroRecall = "macro_recall";
    public const string MacroF1 = "macro_f1";
    public const string Accuracy = "accuracy";
    public const string MicroF1 = "micro_f1";
    public const string WeightedF1 = "weighted_f1";
    public const string PerClassF1Prefix = "f1_";

    /// <summary>The paper's headline metrics, compared against the baseline.</summary>
    public static readonly IReadOnlyList<string> Headline = [MacroPrecision, MacroRecall, MacroF1];

    public static string PerClassF1(string className) => PerClassF1Prefix + className;
}

/// <summary>
/// The metrics of one finished run (one configuration × one seed, optionally one fold). Runs of different
/// configurations are paired for significance tests by (<see cref="Seed"/>, <see cref="Fold"/>).
/// </summary>
public sealed record RunMetrics(string Configuration, int Seed, string? Fold, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The pairing key: runs with equal keys share the data split and initial seed.</summary>
    public (int Seed, string Fold) PairKey => (Seed, Fold ?? "");

    public double this[string metric] =>
        Metrics.TryGetValue(metric, out var value)
            ? value
            : throw new KeyNotFoundException($"Run '{Configuration}' seed {Seed}{(Fold is null ? "" : $" fold {Fold}")} has no metric '{metric}'.");

    /// <summary>The table row of a run: macro P/R/F1, accuracy, micro and weighted F1, then per-class F1.</summary>
    public static RunMetrics FromReport(string configuration, int seed, ClassificationReport report, string? fold = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentNullException.ThrowIfNull(report);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricNames.MacroPrecision] = report.Macro.Precision,
            [MetricNames.MacroRecall] = report.Macro.Recall,
            [MetricNames.MacroF1] = report.Macro.F1,
            [MetricNames.Accuracy] = report.Accuracy,
            [MetricNames.MicroF1] = report.Micro.F1,
            [MetricNames.WeightedF1] = report.Weighted.F1,
        };
        foreach (var c in report.PerClass)
        {
            metrics[MetricNames.PerClassF1(c.ClassName)] = c.F1;
        }
        return new RunMetrics(configuration, seed, fold, metrics);
    }
}
