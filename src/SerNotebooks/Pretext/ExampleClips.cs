using Deedle;
using SerNotebooks.Data;

namespace SerNotebooks.Pretext;

/// <summary>
/// Picks the clip a notebook draws for a task, deterministically (manifest order, no randomness), so the same
/// corpus always shows the same example and the example actually shows the task's classes.
/// </summary>
public static class ExampleClips
{
    /// <summary>
    /// For a chunk task: the first clip (manifest order) whose labelled chunks include every class (for low/high:
    /// both a high and a low chunk). For an utterance task: the first clip whose label is not the task's most
    /// frequent class (for the AU task usually a prototype rather than "neutral"). When no clip qualifies, the first
    /// labelled clip.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The task is not part of the labelling run.</exception>
    /// <exception cref="InvalidOperationException">The task labelled no clip at all.</exception>
    public static ManifestEntry Pick(PretextLabellingResult result, string task)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.LabelSets.TryGetValue(task, out var set))
        {
            throw new KeyNotFoundException($"task '{task}' is not part of this labelling run ({string.Join(", ", result.TaskNames)})");
        }
        var labelled = result.Entries.Where(e => set.ByClip.ContainsKey(e.Id)).ToList();
        if (labelled.Count == 0)
        {
            throw new InvalidOperationException($"task '{task}' labelled none of the {result.ClipCount} clips of {result.CorpusName}; no example to show");
        }
        if (set.Granularity == LabelGranularity.Chunk)
        {
            return labelled.FirstOrDefault(e => HasEveryClass(set, set.ByClip[e.Id])) ?? labelled[0];
        }
        var mostFrequent = labelled
            .GroupBy(e => set.ByClip[e.Id].UtteranceLabel)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .First().Key;
        return labelled.FirstOrDefault(e => set.ByClip[e.Id].UtteranceLabel != mostFrequent) ?? labelled[0];
    }

    /// <summary>The rows of <see cref="LabelReport.Labels"/> for one clip: its chunks (or its utterance label) with the measured values.</summary>
    public static Frame<int, string> LabelsOf(PretextLabellingResult result, string task, string clipId)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = LabelReport.Labels(result, task);
        var clipIds = rows.GetColumn<string>(nameof(LabelRow.ClipId));
        return rows.Where(row => clipIds.TryGet(row.Key).OrDefault("") == clipId);
    }

    private static bool HasEveryClass(PretextLabelSet set, ClipTaskLabels labels) =>
        labels.ChunkLabels is { } chunks
        && Enumerable.Range(0, set.Classes.Count).All(c => chunks.Contains(c));
}
