using Deedle;

namespace SerNotebooks.Pretext;

/// <summary>One row of <see cref="LabelReport.Distribution"/>.</summary>
public sealed record LabelDistributionRow(string Task, string Unit, string Class, int Count, double Share);

/// <summary>One row of <see cref="LabelReport.Coverage"/>.</summary>
public sealed record LabelCoverageRow(string Task, int Clips, int LabelledClips, int SkippedClips, double Coverage, int LabelledChunks, int UnlabelledChunks);

/// <summary>One row of <see cref="LabelReport.SkippedClips"/>.</summary>
public sealed record SkippedClipRow(string Task, string ClipId, string Speaker, string Category, string Reason);

/// <summary>One row of <see cref="LabelReport.SkipReasons"/>.</summary>
public sealed record SkipReasonRow(string Task, string Category, int Clips, string Example);

/// <summary>One row of <see cref="LabelReport.Agreement"/>.</summary>
public sealed record TaskAgreementRow(string TaskA, string TaskB, string Level, int Items, double Agreement, double CohensKappa, double Nmi);

/// <summary>One row of <see cref="LabelReport.VersusReference"/>.</summary>
public sealed record ReferenceRelationRow(string Task, string Reference, string Level, int Items, double MutualInformationBits, double Nmi);

/// <summary>One row of <see cref="LabelReport.Labels"/>: a chunk's label, or the utterance's (Chunk = −1).</summary>
public sealed record LabelRow(string ClipId, string Speaker, string Split, string Source, int Chunk, int Label, string Class, double Value);

/// <summary>
/// The label report of a <see cref="PretextLabellingResult"/> as Deedle frames, for notebooks and
/// <c>sernb labels</c>: label distributions, coverage and skip reasons, agreement between tasks, and — when the
/// manifest carries an emotion column — how each task's labels relate to it (contingency and NMI).
/// </summary>
/// <remarks>
/// Chunk tasks are compared with utterance-level data through each clip's majority label: the class with
/// the most labelled chunks, ties going to the lower class index (for low/high: low).
/// </remarks>
public static class LabelReport
{
    /// <summary>Manifest columns a task's labels are compared with, in order of preference.</summary>
    public static readonly IReadOnlyList<string> ReferenceColumns = ["latent_emotion", "emotion"];

    /// <summary>Per task and class: how many units (chunks for chunk tasks, clips for utterance tasks) and their share.</summary>
    public static Frame<int, string> Distribution(PretextLabellingResult result) => Frame.FromRecords(DistributionRows(result));

    /// <summary>The rows of <see cref="Distribution"/> (Deedle drops NaN shares from typed columns; these keep them).</summary>
    public static IReadOnlyList<LabelDistributionRow> DistributionRows(PretextLabellingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = new List<LabelDistributionRow>();
        foreach (var name in ClassLabelledTasks(result))
        {
            var set = result.LabelSets[name];
            var counts = new int[set.Classes.Count];
            foreach (var labels in set.ByClip.Values)
            {
                foreach (var label in UnitLabels(set, labels))
                {
                    counts[label]++;
                }
            }
            var total = counts.Sum();
            var unit = set.Granularity == LabelGranularity.Chunk ? "chunk" : "clip";
            for (var c = 0; c < counts.Length; c++)
            {
                rows.Add(new LabelDistributionRow(name, unit, set.Classes[c], counts[c], total == 0 ? double.NaN : counts[c] / (double)total));
            }
        }
        return rows;
    }

    /// <summary>
    /// The tasks whose label files hold classes: not a pseudo-class task (clustering), whose files only mark the chunks
    /// that take part (all "class 0") because its classes come during pre-training, and not a regression task, whose
    /// targets are numbers (class distributions and agreement between classes say nothing about them).
    /// </summary>
    private static IReadOnlyList<string> ClassLabelledTasks(PretextLabellingResult result) =>
        result.TaskNames.Where(name => result.LabelSets[name].Kind == LabelKind.Classification).ToList();

    /// <summary>Per task: clips with usable labels, clips skipped, and (chunk tasks) labelled vs unlabelled chunks of labelled clips.</summary>
    public static Frame<int, string> Coverage(PretextLabellingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = result.TaskNames.Select(name =>
        {
            var set = result.LabelSets[name];
            var labelledChunks = 0;
            var unlabelledChunks = 0;
            foreach (var labels in set.ByClip.Values.Where(l => l.ChunkLabels is not null))
            {
                labelledChunks += labels.ChunkLabels!.Count(l => l != ClipTaskLabels.MissingLabel);
                unlabelledChunks += labels.ChunkLabels!.Count(l => l == ClipTaskLabels.MissingLabel);
            }
            var skipped = result.Skipped.Count(s => s.TaskName == name);
            return new LabelCoverageRow(name, result.ClipCount, set.ByClip.Count, skipped,
                result.ClipCount == 0 ? double.NaN : set.ByClip.Count / (double)result.ClipCount, labelledChunks, unlabelledChunks);
        }).ToList();
        return Frame.FromRecords(rows);
    }

    /// <summary>Every skipped (task, clip) with its reason.</summary>
    public static Frame<int, string> SkippedClips(PretextLabellingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Frame.FromRecords(result.Skipped.Select(s => new SkippedClipRow(s.TaskName, s.ClipId, s.Speaker, s.Category, s.Reason)).ToList());
    }

    /// <summary>Skipped clips counted per task and reason category, with one full reason as an example.</summary>
    public static Frame<int, string> SkipReasons(PretextLabellingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Frame.FromRecords(result.Skipped
            .GroupBy(s => (s.TaskName, s.Category))
            .Select(g => new SkipReasonRow(g.Key.TaskName, g.Key.Category, g.Count(), g.First().Reason))
            .ToList());
    }

    /// <summary>
    /// Every pair of tasks: at chunk level when both are chunk tasks with the same classes (agreement, Cohen's
    /// kappa, NMI over chunks labelled by both), and at clip level for every pair (majority label of chunk tasks;
    /// kappa only when the classes match, else NaN).
    /// </summary>
    public static Frame<int, string> Agreement(PretextLabellingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = new List<TaskAgreementRow>();
        var tasks = ClassLabelledTasks(result);
        for (var a = 0; a < tasks.Count; a++)
        {
            for (var b = a + 1; b < tasks.Count; b++)
            {
                var first = result.LabelSets[tasks[a]];
                var second = result.LabelSets[tasks[b]];
                var sameClasses = first.Classes.SequenceEqual(second.Classes, StringComparer.Ordinal);
                if (first.Granularity == LabelGranularity.Chunk && second.Granularity == LabelGranularity.Chunk && sameClasses)
                {
                    rows.Add(Row(first, second, "chunk", PairChunks(first, second)));
                }
                rows.Add(Row(first, second, "clip", PairClips(first, second)));
            }
        }
        return Frame.FromRecords(rows);

        TaskAgreementRow Row(PretextLabelSet first, PretextLabelSet second, string level, (List<int> A, List<int> B) pairs)
        {
            var counts = LabelStatistics.Contingency(pairs.A, pairs.B, first.Classes.Count, second.Classes.Count);
            var square = first.Classes.SequenceEqual(second.Classes, StringComparer.Ordinal);
            return new TaskAgreementRow(first.TaskName, second.TaskName, level, pairs.A.Count,
                square ? LabelStatistics.Agreement(counts) : double.NaN,
                square ? LabelStatistics.CohensKappa(counts) : double.NaN,
                LabelStatistics.NormalisedMutualInformation(counts));
        }
    }

    /// <summary>
    /// Contingency table of two tasks: rows are <paramref name="taskA"/>'s classes, columns <paramref name="taskB"/>'s;
    /// over chunks when both are chunk tasks with the same classes, else over clips (majority labels).
    /// </summary>
    public static Frame<string, string> Contingency(PretextLabellingResult result, string taskA, string taskB)
    {
        ArgumentNullException.ThrowIfNull(result);
        var first = Set(result, taskA);
        var second = Set(result, taskB);
        var chunkLevel = first.Granularity == LabelGranularity.Chunk && second.Granularity == LabelGranularity.Chunk
            && first.Classes.SequenceEqual(second.Classes, StringComparer.Ordinal);
        var (a, b) = chunkLevel ? PairChunks(first, second) : PairClips(first, second);
        return TableFrame(LabelStatistics.Contingency(a, b, first.Classes.Count, second.Classes.Count), first.Classes, second.Classes);
    }

    /// <summary>The first of <see cref="ReferenceColumns"/> that some clip of the manifest has a value in, or null.</summary>
    public static string? FindReferenceColumn(PretextLabellingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return ReferenceColumns.FirstOrDefault(column => result.Entries.Any(e => ReferenceValue(e, column) is not null));
    }

    /// <summary>
    /// Each task against a manifest column (default <see cref="FindReferenceColumn"/>): mutual information and NMI
    /// at clip level (majority label for chunk tasks) and, for chunk tasks, at chunk level (every labelled chunk
    /// paired with its clip's value). Empty when there is no such column.
    /// </summary>
    public static Frame<int, string> VersusReference(PretextLabellingResult result, string? column = null) =>
        Frame.FromRecords(VersusReferenceRows(result, column));

    /// <summary>The rows of <see cref="VersusReference"/>.</summary>
    public static IReadOnlyList<ReferenceRelationRow> VersusReferenceRows(PretextLabellingResult result, string? column = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        column ??= FindReferenceColumn(result);
        var rows = new List<ReferenceRelationRow>();
        if (column is not null)
        {
            foreach (var name in ClassLabelledTasks(result))
            {
                var set = result.LabelSets[name];
                foreach (var level in Levels(set))
                {
                    var (counts, _) = ReferenceCounts(result, set, column, level);
                    var n = (int)counts.Cast<long>().Sum();
                    rows.Add(new ReferenceRelationRow(name, column, level, n,
                        LabelStatistics.MutualInformation(counts), LabelStatistics.NormalisedMutualInformation(counts)));
                }
            }
        }
        return rows;
    }

    /// <summary>
    /// Contingency of a manifest column's values (rows, sorted) against a task's classes (columns), at "clip" or
    /// "chunk" level (see <see cref="VersusReference"/>).
    /// </summary>
    public static Frame<string, string> ReferenceContingency(PretextLabellingResult result, string task, string column, string level = "clip")
    {
        ArgumentNullException.ThrowIfNull(result);
        var set = Set(result, task);
        if (level != "clip" && !(level == "chunk" && set.Granularity == LabelGranularity.Chunk))
        {
            throw new ArgumentException($"level must be 'clip'{(set.Granularity == LabelGranularity.Chunk ? " or 'chunk'" : string.Empty)} for task '{task}', got '{level}'", nameof(level));
        }
        var (counts, values) = ReferenceCounts(result, set, column, level);
        return TableFrame(counts, values, set.Classes);
    }

    /// <summary>A task's labels in long form: one row per labelled chunk (or per clip for utterance tasks), with the measured value.</summary>
    public static Frame<int, string> Labels(PretextLabellingResult result, string task)
    {
        ArgumentNullException.ThrowIfNull(result);
        var set = Set(result, task);
        var measurements = result.Measurements[task].ToDictionary(m => m.ClipId, StringComparer.Ordinal);
        var rows = new List<LabelRow>();
        foreach (var entry in result.Entries)
        {
            if (!set.ByClip.TryGetValue(entry.Id, out var labels))
            {
                continue;
            }
            var split = entry.Split ?? string.Empty;
            if (set.Granularity == LabelGranularity.Chunk && labels.ChunkLabels is not null)
            {
                var values = measurements[entry.Id].ChunkValues;
                for (var k = 0; k < labels.ChunkLabels.Length; k++)
                {
                    var label = labels.ChunkLabels[k];
                    rows.Add(new LabelRow(entry.Id, entry.Speaker, split, labels.Source, k, label,
                        label == ClipTaskLabels.MissingLabel ? string.Empty : set.Classes[label],
                        values is not null && k < values.Length ? values[k] : double.NaN));
                }
            }
            else if (labels.UtteranceLabel != ClipTaskLabels.MissingLabel)
            {
                rows.Add(new LabelRow(entry.Id, entry.Speaker, split, labels.Source, -1, labels.UtteranceLabel,
                    set.Classes[labels.UtteranceLabel], double.NaN));
            }
        }
        return Frame.FromRecords(rows);
    }

    /// <summary>A clip's label for utterance-level comparisons: the utterance label, or the majority of its chunk labels.</summary>
    public static int ClipLabel(PretextLabelSet set, ClipTaskLabels labels)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(labels);
        if (set.Granularity == LabelGranularity.Utterance || labels.ChunkLabels is null)
        {
            return labels.UtteranceLabel;
        }
        var counts = new int[set.Classes.Count];
        foreach (var label in labels.ChunkLabels.Where(l => l != ClipTaskLabels.MissingLabel))
        {
            counts[label]++;
        }
        if (counts.Sum() == 0)
        {
            return ClipTaskLabels.MissingLabel;
        }
        var best = 0;
        for (var c = 1; c < counts.Length; c++)
        {
            if (counts[c] > counts[best])
            {
                best = c;
            }
        }
        return best;
    }

    private static IEnumerable<string> Levels(PretextLabelSet set) =>
        set.Granularity == LabelGranularity.Chunk ? ["clip", "chunk"] : ["clip"];

    private static PretextLabelSet Set(PretextLabellingResult result, string task) =>
        result.LabelSets.TryGetValue(task, out var set)
            ? set
            : throw new KeyNotFoundException($"task '{task}' is not part of this labelling run ({string.Join(", ", result.TaskNames)})");

    private static IEnumerable<int> UnitLabels(PretextLabelSet set, ClipTaskLabels labels) =>
        set.Granularity == LabelGranularity.Chunk
            ? (labels.ChunkLabels ?? []).Where(l => l != ClipTaskLabels.MissingLabel)
            : labels.UtteranceLabel == ClipTaskLabels.MissingLabel ? [] : [labels.UtteranceLabel];

    private static (List<int> A, List<int> B) PairChunks(PretextLabelSet first, PretextLabelSet second)
    {
        var a = new List<int>();
        var b = new List<int>();
        foreach (var (clip, labelsA) in first.ByClip.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!second.ByClip.TryGetValue(clip, out var labelsB) || labelsA.ChunkLabels is null || labelsB.ChunkLabels is null)
            {
                continue;
            }
            for (var k = 0; k < Math.Min(labelsA.ChunkLabels.Length, labelsB.ChunkLabels.Length); k++)
            {
                if (labelsA.ChunkLabels[k] != ClipTaskLabels.MissingLabel && labelsB.ChunkLabels[k] != ClipTaskLabels.MissingLabel)
                {
                    a.Add(labelsA.ChunkLabels[k]);
                    b.Add(labelsB.ChunkLabels[k]);
                }
            }
        }
        return (a, b);
    }

    private static (List<int> A, List<int> B) PairClips(PretextLabelSet first, PretextLabelSet second)
    {
        var a = new List<int>();
        var b = new List<int>();
        foreach (var (clip, labelsA) in first.ByClip.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!second.ByClip.TryGetValue(clip, out var labelsB))
            {
                continue;
            }
            var la = ClipLabel(first, labelsA);
            var lb = ClipLabel(second, labelsB);
            if (la != ClipTaskLabels.MissingLabel && lb != ClipTaskLabels.MissingLabel)
            {
                a.Add(la);
                b.Add(lb);
            }
        }
        return (a, b);
    }

    private static string? ReferenceValue(Data.ManifestEntry entry, string column)
    {
        var value = column == "emotion" ? entry.Emotion : entry.Extras.GetValueOrDefault(column);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    private static (long[,] Counts, IReadOnlyList<string> Values) ReferenceCounts(PretextLabellingResult result, PretextLabelSet set, string column, string level)
    {
        var values = result.Entries.Select(e => ReferenceValue(e, column)).OfType<string>()
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = values.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal);
        var counts = new long[values.Count, set.Classes.Count];
        foreach (var entry in result.Entries)
        {
            var value = ReferenceValue(entry, column);
            if (value is null || !set.ByClip.TryGetValue(entry.Id, out var labels))
            {
                continue;
            }
            if (level == "chunk")
            {
                foreach (var label in UnitLabels(set, labels))
                {
                    counts[index[value], label]++;
                }
            }
            else
            {
                var label = ClipLabel(set, labels);
                if (label != ClipTaskLabels.MissingLabel)
                {
                    counts[index[value], label]++;
                }
            }
        }
        return (counts, values);
    }

    private static Frame<string, string> TableFrame(long[,] counts, IReadOnlyList<string> rows, IReadOnlyList<string> columns)
    {
        var cells = new List<Tuple<string, string, long>>();
        for (var i = 0; i < rows.Count; i++)
        {
            for (var j = 0; j < columns.Count; j++)
            {
                cells.Add(Tuple.Create(rows[i], columns[j], counts[i, j]));
            }
        }
        return Frame.FromValues(cells);
    }
}
