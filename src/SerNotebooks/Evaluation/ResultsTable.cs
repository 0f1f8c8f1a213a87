using System.Globalization;
using Deedle;

namespace SerNotebooks.Evaluation;

/// <summary>
/// The ablation results as Deedle frames and their CSV files (written atomically, invariant culture, missing
/// values as empty fields): the per-run table (one row per configuration × seed [× fold]) and the summary
/// table (one row per configuration: mean and std of every metric, the speaker-bootstrap interval of macro-F1,
/// what a pair is, and for each compared metric the paired difference from the baseline, relative change, t-test
/// and Wilcoxon results with their Holm-adjusted p-values). Column names are in EVALUATION.md.
/// </summary>
public static class ResultsTable
{
    public const string ConfigurationColumn = "configuration";
    public const string SeedColumn = "seed";
    public const string FoldColumn = "fold";
    public const string RunsColumn = "runs";

    /// <summary>What one pair of the paired tests is, e.g. <c>seed</c> or <c>seed (mean over 4 folds)</c>; empty for the baseline.</summary>
    public const string PairUnitColumn = "pair_unit";

    /// <summary>summary.csv column (only when the plan has controls): whether the row is a control configuration, not one of the paper's.</summary>
    public const string ControlColumn = "control";

    /// <summary>Suffixes of the bootstrap interval's bounds: <c>macro_f1_ci_low</c>, <c>macro_f1_ci_high</c>.</summary>
    public const string IntervalLowSuffix = "_ci_low";

    public const string IntervalHighSuffix = "_ci_high";

    /// <summary>Suffix of a Holm-adjusted p-value column: <c>macro_f1_t_p_holm</c>, <c>macro_f1_wilcoxon_p_holm</c>.</summary>
    public const string HolmSuffix = "_holm";

    /// <summary>The evaluation protocol (e.g. <c>test-split</c>, <c>5-fold-by-actor</c>): the same in every row.</summary>
    public const string EvaluationColumn = "evaluation";

    /// <summary>Labelled fraction of the training clips (written by the ablation; an identifier here, not a metric).</summary>
    public const string LabelFractionColumn = "label_fraction";

    /// <summary>Fine-tuning mode, <c>full</c> or <c>probe</c> (written by the ablation; not a metric).</summary>
    public const string ModeColumn = "mode";

    /// <summary>Per-run table: configuration, seed, fold (only when some run has one), evaluation (when
    /// <paramref name="evaluation"/> is given), then every metric.</summary>
    public static Frame<int, string> RunsFrame(IEnumerable<RunMetrics> runs, string? evaluation = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var all = runs.ToArray();
        if (all.Length == 0)
        {
            throw new ArgumentException("No runs.", nameof(runs));
        }
        var rows = Enumerable.Range(0, all.Length).ToArray();
        var builder = new FrameBuilder.Columns<int, string>();
        builder.Add(ConfigurationColumn, new Series<int, string>(rows, all.Select(r => r.Configuration).ToArray()));
        builder.Add(SeedColumn, new Series<int, int>(rows, all.Select(r => r.Seed).ToArray()));
        if (all.Any(r => r.Fold is not null))
        {
            builder.Add(FoldColumn, new Series<int, string>(rows, all.Select(r => r.Fold ?? "").ToArray()));
        }
        if (evaluation is not null)
        {
            builder.Add(EvaluationColumn, new Series<int, string>(rows, all.Select(_ => evaluation).ToArray()));
        }
        var metrics = all[0].Metrics.Keys.Concat(all.SelectMany(r => r.Metrics.Keys)).Distinct(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            builder.Add(metric, new Series<int, double>(rows, all.Select(r => r.Metrics.TryGetValue(metric, out var v) ? v : double.NaN).ToArray()));
        }
        return builder.Frame;
    }

    /// <summary>Reads runs back from a per-run frame (e.g. one loaded with <see cref="ReadRunsCsv"/>).</summary>
    public static IReadOnlyList<RunMetrics> RunsFromFrame(Frame<int, string> frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        foreach (var required in new[] { ConfigurationColumn, SeedColumn })
        {
            if (!frame.ColumnKeys.Contains(required))
            {
                throw new ArgumentException($"The runs frame has no '{required}' column.", nameof(frame));
            }
        }
        var hasFold = frame.ColumnKeys.Contains(FoldColumn);
        var metricColumns = frame.ColumnKeys.Where(c => c is not ConfigurationColumn and not SeedColumn and not FoldColumn and not EvaluationColumn and not LabelFractionColumn and not ModeColumn).ToArray();
        var configurations = frame.GetColumn<string>(ConfigurationColumn);
        var seeds = frame.GetColumn<int>(SeedColumn);
        var folds = hasFold ? frame.GetColumn<string>(FoldColumn) : null;
        var metricSeries = metricColumns.ToDictionary(c => c, c => frame.GetColumn<double>(c));
        return frame.RowKeys.Select(row =>
        {
            var fold = folds is null ? null : folds.TryGet(row) is { HasValue: true } f && f.Value.Length > 0 ? f.Value : null;
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (name, series) in metricSeries)
            {
                var value = series.TryGet(row);
                if (value.HasValue)
                {
                    values[name] = value.Value;
                }
            }
            return new RunMetrics(configurations.Get(row), seeds.Get(row), fold, values);
        }).ToArray();
    }

    /// <summary>Summary table keyed by configuration (baseline first).</summary>
    public static Frame<string, string> SummaryFrame(AblationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var keys = summary.Configurations.Select(c => c.Configuration).ToArray();
        var builder = new FrameBuilder.Columns<string, string>();
        void AddColumn(string name, Func<ConfigurationSummary, double> value) =>
            builder.Add(name, new Series<string, double>(keys, summary.Configurations.Select(value).ToArray()));
        if (summary.Evaluation is { } evaluation)
        {
            builder.Add(EvaluationColumn, new Series<string, string>(keys, keys.Select(_ => evaluation).ToArray()));
        }
        builder.Add(RunsColumn, new Series<string, int>(keys, summary.Configurations.Select(c => c.Runs).ToArray()));
        if (summary.Configurations.Any(c => c.IsControl))
        {
            // Only with controls, so summaries of plans without them keep their columns.
            builder.Add(ControlColumn, new Series<string, bool>(keys, summary.Configurations.Select(c => c.IsControl).ToArray()));
        }
        // Null is Deedle's missing value: the baseline's field is left empty.
        builder.Add(PairUnitColumn, new Series<string, string?>(keys, summary.Configurations.Select(c => c.Pairing?.Unit).ToArray()));
        foreach (var metric in summary.MetricNamesInOrder)
        {
            AddColumn(metric + "_mean", c => c[metric].Mean);
            AddColumn(metric + "_std", c => c[metric].Std);
            if (metric == MetricNames.MacroF1 && summary.HasMacroF1Intervals)
            {
                AddColumn(metric + IntervalLowSuffix, c => c.MacroF1Interval!.Low);
                AddColumn(metric + IntervalHighSuffix, c => c.MacroF1Interval!.High);
            }
        }
        foreach (var metric in summary.ComparedMetrics)
        {
            double Comparison(ConfigurationSummary c, Func<BaselineComparison, double> select) =>
                c.VersusBaseline.TryGetValue(metric, out var comparison) ? select(comparison) : double.NaN;
            AddColumn(metric + "_pairs", c => Comparison(c, x => x.Pairs));
            AddColumn(metric + "_delta", c => Comparison(c, x => x.MeanDifference));
            AddColumn(metric + "_delta_std", c => Comparison(c, x => x.StdDifference));
            AddColumn(metric + "_rel_change_pct", c => Comparison(c, x => x.RelativeChangePercent));
            AddColumn(metric + "_t", c => Comparison(c, x => x.TTest.T));
            AddColumn(metric + "_t_p", c => Comparison(c, x => x.TTest.PValue));
            AddColumn(metric + "_t_p" + HolmSuffix, c => Comparison(c, x => x.TTestPHolm));
            AddColumn(metric + "_wilcoxon_w_plus", c => Comparison(c, x => x.Wilcoxon.WPlus));
            AddColumn(metric + "_wilcoxon_p", c => Comparison(c, x => x.Wilcoxon.PValue));
            AddColumn(metric + "_wilcoxon_p" + HolmSuffix, c => Comparison(c, x => x.WilcoxonPHolm));
        }
        return builder.Frame;
    }

    /// <summary>Writes a frame as CSV atomically. Row keys become the first column when
    /// <paramref name="rowKeyColumn"/> is given (e.g. <c>configuration</c> for the summary).</summary>
    public static void WriteCsv<TRow>(Frame<TRow, string> frame, string path, string? rowKeyColumn = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            frame.SaveCsv(
                writer,
                includeRowKeys: rowKeyColumn is not null,
                keyNames: rowKeyColumn is null ? null : [rowKeyColumn],
                separator: ',',
                culture: CultureInfo.InvariantCulture);
        });
    }

    /// <summary>Reads a per-run CSV into a frame with integer row keys.</summary>
    public static Frame<int, string> ReadRunsCsv(string path)
    {
        var frame = ReadCsv(path);
        foreach (var required in new[] { ConfigurationColumn, SeedColumn })
        {
            if (!frame.ColumnKeys.Contains(required))
            {
                throw new EvaluationFormatException(path, 1, $"required column '{required}' is missing");
            }
        }
        return frame;
    }

    /// <summary>The evaluation protocol named by a per-run or summary frame's <c>evaluation</c> column; null when it has none (tables written before the column existed).</summary>
    public static string? EvaluationOf<TRow>(Frame<TRow, string> frame)
        where TRow : notnull
    {
        ArgumentNullException.ThrowIfNull(frame);
        return frame.ColumnKeys.Contains(EvaluationColumn)
            ? frame.GetColumn<string>(EvaluationColumn).Values.FirstOrDefault()
            : null;
    }

    /// <summary>Reads the runs of a per-run CSV (what a notebook needs to summarise and chart finished runs).</summary>
    public static IReadOnlyList<RunMetrics> ReadRuns(string path) => RunsFromFrame(ReadRunsCsv(path));

    /// <summary>Reads a summary CSV into a frame keyed by configuration.</summary>
    public static Frame<string, string> ReadSummaryCsv(string path)
    {
        var frame = ReadCsv(path);
        if (!frame.ColumnKeys.Contains(ConfigurationColumn))
        {
            throw new EvaluationFormatException(path, 1, $"required column '{ConfigurationColumn}' is missing");
        }
        return frame.IndexRows<string>(ConfigurationColumn);
    }

    private static Frame<int, string> ReadCsv(string path)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationFormatException(path, null, "results table not found");
        }
        // The schema pins identifier columns to strings: type inference would turn configuration "123" or a
        // fold "1" into numbers. Deedle rejects a schema naming an absent column, so name only those present.
        string[] header;
        using (var reader = new StreamReader(path))
        using (var csv = new CsvHelper.CsvReader(reader, CultureInfo.InvariantCulture))
        {
            header = csv.Read() && csv.ReadHeader() && csv.HeaderRecord is { } h ? h : throw new EvaluationFormatException(path, 1, "no header row");
        }
        var schema = string.Join(",", new[] { ConfigurationColumn, FoldColumn, EvaluationColumn, PairUnitColumn, ModeColumn }.Where(header.Contains).Select(c => c + "=string"));
        using var stream = File.OpenRead(path);
        return Frame.ReadCsv(stream, hasHeaders: true, inferTypes: true, inferRows: 0,
            schema: schema.Length == 0 ? null : schema,
            separators: ",", culture: CultureInfo.InvariantCulture.Name);
    }
}
