using System.Globalization;
using Deedle;

namespace SerNotebooks.Data;

/// <summary>
/// A manifest seen as Deedle tables for notebooks: its first rows, clips per emotion and split, and speakers
/// per split with a speaker-independence check. Splits come from the manifest's <c>split</c> column unless a
/// speaker → split table overrides it (as <c>AblationCorpus.SpeakerSplits</c> does for a manifest without splits).
/// </summary>
public static class CorpusTables
{
    /// <summary>Splits in reading order; any other split or fold name follows, sorted.</summary>
    public static readonly IReadOnlyList<string> SplitOrder = ["train", "dev", "test"];

    /// <summary>Written where a clip has no split.</summary>
    public const string NoSplit = "(none)";

    /// <summary>
    /// The first <paramref name="rows"/> clips, one column per manifest column that any of them has a value in
    /// (core schema order, then extra columns sorted by name), keyed by position.
    /// </summary>
    public static Frame<int, string> Head(Manifest manifest, int rows = 5)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var shown = manifest.Entries.Take(rows).ToList();
        var keys = Enumerable.Range(0, shown.Count).ToArray();
        var columns = new List<(string Name, Func<ManifestEntry, string?> Value)>
        {
            ("id", e => e.Id), ("speaker", e => e.Speaker), ("sex", e => e.Sex),
            ("age", e => e.Age?.ToString(CultureInfo.InvariantCulture)), ("sentence", e => e.Sentence),
            ("emotion", e => e.Emotion), ("level", e => e.Level), ("split", e => e.Split),
            ("audio", e => e.AudioPath), ("openface", e => e.OpenFacePath), ("video", e => e.VideoPath),
        };
        columns.AddRange(shown.SelectMany(e => e.Extras.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(name => (name, (Func<ManifestEntry, string?>)(e => e.Extras.GetValueOrDefault(name)))));
        var builder = new FrameBuilder.Columns<int, string>();
        foreach (var (name, value) in columns)
        {
            var values = shown.Select(e => value(e) ?? string.Empty).ToArray();
            if (values.Any(v => v.Length > 0))
            {
                builder.Add(name, new Series<int, string>(keys, values));
            }
        }
        return builder.Frame;
    }

    /// <summary>
    /// Clip counts: rows are the values of <paramref name="column"/> (<c>emotion</c>, or an extra column such as
    /// <c>latent_emotion</c>; sorted, empty values left out), columns the splits (<see cref="SplitOrder"/> first).
    /// </summary>
    public static Frame<string, string> ClipsPerClassAndSplit(Manifest manifest, IReadOnlyDictionary<string, string>? speakerSplits = null, string column = "emotion")
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var clips = manifest.Entries
            .Select(e => (Class: ValueOf(e, column), Split: SplitOf(e, speakerSplits)))
            .Where(c => !string.IsNullOrWhiteSpace(c.Class))
            .ToList();
        if (clips.Count == 0)
        {
            throw new ArgumentException($"no clip of manifest '{manifest.Metadata.Name}' has a value in column '{column}'", nameof(column));
        }
        var classes = clips.Select(c => c.Class!).Distinct().Order(StringComparer.Ordinal).ToArray();
        var builder = new FrameBuilder.Columns<string, string>();
        foreach (var split in OrderSplits(clips.Select(c => c.Split)))
        {
            builder.Add(split, new Series<string, int>(classes, classes.Select(k => clips.Count(c => c.Class == k && c.Split == split)).ToArray()));
        }
        return builder.Frame;
    }

    /// <summary>
    /// Per split: speakers, clips, speakers by sex, the speaker ids, and how many of its speakers also occur in
    /// another split (0 everywhere means the splits are speaker-independent).
    /// </summary>
    public static Frame<string, string> SpeakersPerSplit(Manifest manifest, IReadOnlyDictionary<string, string>? speakerSplits = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var clips = manifest.Entries.Select(e => (Entry: e, Split: SplitOf(e, speakerSplits))).ToList();
        var splits = OrderSplits(clips.Select(c => c.Split)).ToArray();
        var shared = SpeakersInSeveralSplits(manifest, speakerSplits).ToHashSet(StringComparer.Ordinal);
        var speakers = splits.Select(s => clips.Where(c => c.Split == s).Select(c => c.Entry).DistinctBy(e => e.Speaker)
            .OrderBy(e => e.Speaker, StringComparer.Ordinal).ToList()).ToArray();
        var builder = new FrameBuilder.Columns<string, string>();
        builder.Add("speakers", new Series<string, int>(splits, speakers.Select(s => s.Count).ToArray()));
        builder.Add("clips", new Series<string, int>(splits, splits.Select(s => clips.Count(c => c.Split == s)).ToArray()));
        builder.Add("female", new Series<string, int>(splits, speakers.Select(s => s.Count(e => e.Sex == "female")).ToArray()));
        builder.Add("male", new Series<string, int>(splits, speakers.Select(s => s.Count(e => e.Sex == "male")).ToArray()));
        builder.Add("also in another split", new Series<string, int>(splits, speakers.Select(s => s.Count(e => shared.Contains(e.Speaker))).ToArray()));
        builder.Add("speaker ids", new Series<string, string>(splits, speakers.Select(s => string.Join(" ", s.Select(e => e.Speaker))).ToArray()));
        return builder.Frame;
    }

    /// <summary>Speakers with clips in more than one split, sorted (empty for a speaker-independent partition).</summary>
    public static IReadOnlyList<string> SpeakersInSeveralSplits(Manifest manifest, IReadOnlyDictionary<string, string>? speakerSplits = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest.Entries
            .GroupBy(e => e.Speaker, StringComparer.Ordinal)
            .Where(g => g.Select(e => SplitOf(e, speakerSplits)).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => g.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A clip's split: the override table's entry for its speaker, else its split column, else <see cref="NoSplit"/>.</summary>
    public static string SplitOf(ManifestEntry entry, IReadOnlyDictionary<string, string>? speakerSplits = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var split = speakerSplits?.GetValueOrDefault(entry.Speaker) ?? entry.Split;
        return string.IsNullOrWhiteSpace(split) ? NoSplit : split;
    }

    private static IEnumerable<string> OrderSplits(IEnumerable<string> splits)
    {
        var present = splits.Distinct(StringComparer.Ordinal).ToList();
        return SplitOrder.Where(present.Contains).Concat(present.Except(SplitOrder).Order(StringComparer.Ordinal));
    }

    private static string? ValueOf(ManifestEntry entry, string column) => column switch
    {
        "emotion" => entry.Emotion,
        "speaker" => entry.Speaker,
        "sex" => entry.Sex,
        "sentence" => entry.Sentence,
        "level" => entry.Level,
        _ => entry.Extras.GetValueOrDefault(column),
    };
}
