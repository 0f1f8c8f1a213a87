namespace SerNotebooks.Pretext;

/// <summary>How often one class was given.</summary>
public sealed record ClassCount(string Class, int Count, double Share);

/// <summary>Class balance of a task's labels (utterance labels, or every labelled chunk for chunk tasks).</summary>
public static class LabelBalance
{
    public static IReadOnlyList<ClassCount> Of(IEnumerable<ClipTaskLabels> labels, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classes);
        var counts = new int[classes.Count];
        foreach (var clip in labels.Where(l => l.SkipReason is null))
        {
            var given = clip.ChunkLabels ?? [clip.UtteranceLabel];
            foreach (var label in given.Where(l => l >= 0 && l < classes.Count))
            {
                counts[label]++;
            }
        }
        var total = counts.Sum();
        return classes.Select((name, i) => new ClassCount(name, counts[i], total == 0 ? 0 : counts[i] / (double)total)).ToList();
    }

    /// <summary>Balance of utterance-task measurements before labelling (<see cref="TaskMeasurement.UtteranceClass"/>).</summary>
    public static IReadOnlyList<ClassCount> OfMeasurements(IEnumerable<TaskMeasurement> measurements, IReadOnlyList<string> classes) =>
        Of(measurements.Where(m => m.IsUsable && m.UtteranceClass is not null)
            .Select(m => new ClipTaskLabels(m.ClipId, null, m.UtteranceClass!.Value, m.Source, null)), classes);
}
