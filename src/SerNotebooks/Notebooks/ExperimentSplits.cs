using Deedle;
using SerNotebooks.Data;

namespace SerNotebooks.Notebooks;

/// <summary>
/// The evaluation protocol of an experiment made visible: which speakers and how many clips of the emotion
/// corpus are in each split, and whether any speaker is in more than one (CREMA-D's protocol is speaker
/// independent: the test speakers are never seen in training).
/// </summary>
public static class ExperimentSplits
{
    /// <summary>What a clip with neither a speaker split nor a split column belongs to.</summary>
    public const string NoSplit = "(none)";

    /// <summary>
    /// The split each clip of the emotion corpus is trained or evaluated in: the corpus's speaker → split map
    /// when it has one (it overrides the manifest, as in training), otherwise the manifest's split column.
    /// </summary>
    public static string SplitOf(this NotebookExperiment experiment, ManifestEntry entry)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(entry);
        return experiment.Corpus.SpeakerSplits is { } speakers && speakers.TryGetValue(entry.Speaker, out var split)
            ? split
            : string.IsNullOrWhiteSpace(entry.Split) ? NoSplit : entry.Split;
    }

    /// <summary>One row per split (train, dev, test first, then any other): clips, speakers, and the speaker ids.</summary>
    public static Frame<string, string> SplitFrame(this NotebookExperiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        string[] known = ["train", "dev", "test"];
        var groups = experiment.EmotionManifest.Entries
            .GroupBy(e => experiment.SplitOf(e), StringComparer.Ordinal)
            .OrderBy(g => Array.IndexOf(known, g.Key) is var i && i >= 0 ? i : known.Length)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToArray();
        var keys = groups.Select(g => g.Key).ToArray();
        var builder = new FrameBuilder.Columns<string, string>();
        builder.Add("clips", new Series<string, int>(keys, groups.Select(g => g.Count()).ToArray()));
        builder.Add("speakers", new Series<string, int>(keys, groups.Select(g => g.Select(e => e.Speaker).Distinct().Count()).ToArray()));
        builder.Add("speaker ids", new Series<string, string>(keys, groups
            .Select(g => string.Join(" ", g.Select(e => e.Speaker).Distinct().Order(StringComparer.Ordinal)))
            .ToArray()));
        return builder.Frame;
    }

    /// <summary>Speakers with clips in more than one split (empty for a speaker-independent protocol).</summary>
    public static IReadOnlyList<string> SpeakersInSeveralSplits(this NotebookExperiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return experiment.EmotionManifest.Entries
            .GroupBy(e => e.Speaker, StringComparer.Ordinal)
            .Where(g => g.Select(e => experiment.SplitOf(e)).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => g.Key)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
