using Deedle;
using SerNotebooks.Evaluation;

namespace SerNotebooks.Ablation;

/// <summary>
/// results.csv and summary.csv of an ablation with labelled fractions and fine-tuning modes: the frames of
/// <see cref="ResultsTable"/> with the <c>label_fraction</c> and <c>mode</c> columns after <c>evaluation</c>, and the
/// summary as one block of rows per (fraction, mode) — each block <see cref="ResultsTable.SummaryFrame"/> of that
/// group alone, so the statistics code is unchanged and runs pair only within a group.
/// </summary>
public static class GroupedTables
{
    /// <summary>The fine-tuning target's column, after <c>mode</c>; only in the tables of a plan with targets (<see cref="AblationPlan.WithTargets"/>).</summary>
    public const string TargetColumn = "target";

    /// <summary>The per-run table: <see cref="ResultsTable.RunsFrame"/> with each run's fraction and mode.</summary>
    /// <param name="runs">The rows, in the order of <paramref name="planned"/>.</param>
    /// <param name="planned">The planned run of each row.</param>
    /// <param name="evaluation">The protocol name.</param>
    public static Frame<int, string> RunsFrame(IReadOnlyList<RunMetrics> runs, IReadOnlyList<PlannedFinetuning> planned, string evaluation)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(planned);
        if (runs.Count != planned.Count)
        {
            throw new ArgumentException($"{runs.Count} rows but {planned.Count} planned runs", nameof(planned));
        }
        var frame = ResultsTable.RunsFrame(runs, evaluation);
        var rows = frame.RowKeys.ToArray();
        var builder = new FrameBuilder.Columns<int, string>();
        foreach (var column in frame.ColumnKeys)
        {
            AddColumnOf(builder, frame, column);
            if (column == ResultsTable.EvaluationColumn)
            {
                builder.Add(ResultsTable.LabelFractionColumn, new Series<int, double>(rows, planned.Select(p => p.LabelFraction).ToArray()));
                builder.Add(ResultsTable.ModeColumn, new Series<int, string>(rows, planned.Select(p => FinetuneModes.Name(p.Mode)).ToArray()));
                if (planned.Any(p => p.Target is not null))
                {
                    builder.Add(TargetColumn, new Series<int, string>(rows, planned.Select(p => p.TargetName ?? "").ToArray()));
                }
            }
        }
        return builder.Frame;
    }

    /// <summary>
    /// summary.csv: for each group (ascending fraction, full before probe) the rows of
    /// <see cref="ResultsTable.SummaryFrame"/>, with <c>configuration</c> as a column and the group's fraction and mode
    /// after <c>evaluation</c>.
    /// </summary>
    public static Frame<int, string> SummaryFrame(IReadOnlyList<AblationGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count == 0)
        {
            throw new ArgumentException("no groups", nameof(groups));
        }
        var blocks = groups.Select(g => (Group: g, Frame: ResultsTable.SummaryFrame(g.Summary))).ToList();
        var rowCount = blocks.Sum(b => b.Frame.RowCount);
        var rows = Enumerable.Range(0, rowCount).ToArray();
        var columns = blocks.SelectMany(b => b.Frame.ColumnKeys).Distinct(StringComparer.Ordinal).ToList();
        var builder = new FrameBuilder.Columns<int, string>();
        builder.Add(ResultsTable.ConfigurationColumn, new Series<int, string>(rows, blocks.SelectMany(b => b.Frame.RowKeys).ToArray()));
        void AddGroupColumns()
        {
            builder.Add(ResultsTable.LabelFractionColumn,
                new Series<int, double>(rows, blocks.SelectMany(b => b.Frame.RowKeys.Select(_ => b.Group.LabelFraction)).ToArray()));
            builder.Add(ResultsTable.ModeColumn,
                new Series<int, string>(rows, blocks.SelectMany(b => b.Frame.RowKeys.Select(_ => FinetuneModes.Name(b.Group.Mode))).ToArray()));
            if (groups.Any(g => g.Target is not null))
            {
                builder.Add(TargetColumn, new Series<int, string>(rows, blocks.SelectMany(b => b.Frame.RowKeys.Select(_ => b.Group.Target?.Name ?? "")).ToArray()));
            }
        }
        if (!columns.Contains(ResultsTable.EvaluationColumn))
        {
            AddGroupColumns();
        }
        foreach (var column in columns)
        {
            if (column == ResultsTable.EvaluationColumn)
            {
                builder.Add(column, new Series<int, string>(rows, blocks.SelectMany(b => Values<string>(b.Frame, column, "")).ToArray()));
                AddGroupColumns();
            }
            else if (column == ResultsTable.PairUnitColumn)
            {
                // Text, empty for the baseline (null is Deedle's missing value, as in ResultsTable.SummaryFrame).
                builder.Add(column, new Series<int, string?>(rows, blocks.SelectMany(b => Values<string?>(b.Frame, column, null)).ToArray()));
            }
            else if (column == ResultsTable.ControlColumn)
            {
                builder.Add(column, new Series<int, bool>(rows, blocks.SelectMany(b => Values(b.Frame, column, false)).ToArray()));
            }
            else
            {
                builder.Add(column, new Series<int, double>(rows, blocks.SelectMany(b => Values(b.Frame, column, double.NaN)).ToArray()));
            }
        }
        return builder.Frame;
    }

    // Absent values (a baseline has no test against itself) stay missing, as in ResultsTable's own frames.
    private static IEnumerable<T> Values<T>(Frame<string, string> frame, string column, T missing)
    {
        if (!frame.ColumnKeys.Contains(column))
        {
            return frame.RowKeys.Select(_ => missing);
        }
        var series = frame.GetColumn<T>(column);
        return frame.RowKeys.Select(r => series.TryGet(r) is { HasValue: true } v ? v.Value : missing);
    }

    private static void AddColumnOf(FrameBuilder.Columns<int, string> builder, Frame<int, string> frame, string column)
    {
        switch (column)
        {
            case ResultsTable.SeedColumn:
                builder.Add(column, frame.GetColumn<int>(column));
                break;
            case ResultsTable.ConfigurationColumn or ResultsTable.FoldColumn or ResultsTable.EvaluationColumn:
                builder.Add(column, frame.GetColumn<string>(column));
                break;
            default:
                builder.Add(column, frame.GetColumn<double>(column));
                break;
        }
    }
}
