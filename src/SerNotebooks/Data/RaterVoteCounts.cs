using System.Globalization;

namespace SerNotebooks.Data;

/// <summary>
/// How many raters chose each emotion for one clip in one rating modality, in the fixed order
/// <see cref="Emotions"/> (CREMA-D's vote columns <c>A D F H N S</c>). In a manifest it is written as the six counts
/// joined with ':' (<c>0:0:0:1:10:0</c>, see data-manifests/SCHEMA.md).
/// </summary>
public sealed class RaterVoteCounts
{
    /// <summary>The emotions the counts are for, in order: the manifest's emotion names of CREMA-D's A D F H N S.</summary>
    public static readonly IReadOnlyList<string> Emotions = ["anger", "disgust", "fear", "happiness", "neutral", "sadness"];

    private readonly int[] counts;

    public RaterVoteCounts(IReadOnlyList<int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count != Emotions.Count || counts.Any(c => c < 0))
        {
            throw new ArgumentException($"expected {Emotions.Count} non-negative counts ({string.Join(" ", Emotions)}), got {string.Join(":", counts)}", nameof(counts));
        }
        this.counts = counts.ToArray();
    }

    public IReadOnlyList<int> Counts => counts;

    /// <summary>How many raters answered.</summary>
    public int Total => counts.Sum();

    /// <summary>The emotions with the most votes (several on a tie; none when nobody voted), in <see cref="Emotions"/> order.</summary>
    public IReadOnlyList<string> Majority
    {
        get
        {
            var max = counts.Max();
            return max == 0 ? [] : Emotions.Where((_, k) => counts[k] == max).ToArray();
        }
    }

    /// <summary>The perceived label: the majority emotion, or the tied ones joined with ':' (<c>neutral:sadness</c>); empty when nobody voted.</summary>
    public string PerceivedLabel => string.Join(':', Majority);

    /// <summary>The one majority emotion; null on a tie or without votes (a tie is never broken by guessing).</summary>
    public string? UniqueMajority => Majority is [var only] ? only : null;

    /// <summary>The share of votes per class of <paramref name="classes"/> (each must be one of <see cref="Emotions"/>); null when nobody voted.</summary>
    public double[]? Distribution(IReadOnlyList<string> classes)
    {
        var total = Total;
        return total == 0 ? null : classes.Select(c => counts[IndexOf(c)] / (double)total).ToArray();
    }

    /// <summary>The votes for <paramref name="emotion"/>.</summary>
    public int this[string emotion] => counts[IndexOf(emotion)];

    public string Format() => string.Join(':', counts.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    public override string ToString() => Format();

    /// <summary>Parses <see cref="Format"/>'s text; null with the reason when it is not six non-negative integers.</summary>
    public static RaterVoteCounts? TryParse(string text, out string problem)
    {
        var parts = text.Split(':');
        var values = new int[parts.Length];
        for (var k = 0; k < parts.Length; k++)
        {
            if (!int.TryParse(parts[k], NumberStyles.None, CultureInfo.InvariantCulture, out values[k]))
            {
                problem = $"'{text}' is not {Emotions.Count} vote counts joined with ':' ({string.Join(":", Emotions)})";
                return null;
            }
        }
        if (values.Length != Emotions.Count)
        {
            problem = $"'{text}' has {values.Length} counts, expected {Emotions.Count} ({string.Join(":", Emotions)})";
            return null;
        }
        problem = string.Empty;
        return new RaterVoteCounts(values);
    }

    /// <summary>The position of <paramref name="emotion"/> in <see cref="Emotions"/> (case-insensitive).</summary>
    public static int IndexOf(string emotion)
    {
        for (var k = 0; k < Emotions.Count; k++)
        {
            if (string.Equals(Emotions[k], emotion, StringComparison.OrdinalIgnoreCase))
            {
                return k;
            }
        }
        throw new ArgumentException($"'{emotion}' is not a rated emotion ({string.Join(", ", Emotions)})", nameof(emotion));
    }
}
