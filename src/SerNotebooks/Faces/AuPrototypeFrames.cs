using Deedle;

namespace SerNotebooks.Faces;

/// <summary>Task 3's rule table and one clip's analysis as Deedle tables, with the FACS names of the action units.</summary>
public static class AuPrototypeFrames
{
    /// <summary>FACS names of the action units OpenFace 2.x reports.</summary>
    public static IReadOnlyDictionary<string, string> ActionUnitNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AU01"] = "inner brow raiser",
        ["AU02"] = "outer brow raiser",
        ["AU04"] = "brow lowerer",
        ["AU05"] = "upper lid raiser",
        ["AU06"] = "cheek raiser",
        ["AU07"] = "lid tightener",
        ["AU09"] = "nose wrinkler",
        ["AU10"] = "upper lip raiser",
        ["AU12"] = "lip corner puller",
        ["AU14"] = "dimpler",
        ["AU15"] = "lip corner depressor",
        ["AU17"] = "chin raiser",
        ["AU20"] = "lip stretcher",
        ["AU23"] = "lip tightener",
        ["AU25"] = "lips part",
        ["AU26"] = "jaw drop",
        ["AU28"] = "lip suck",
        ["AU45"] = "blink",
    };

    /// <summary>One row per enabled rule, in table order: class, AUs, their FACS names, and the rule's line in the file.</summary>
    public static Frame<int, string> Rules(AuPrototypeTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var keys = Enumerable.Range(0, table.Prototypes.Count).ToArray();
        var builder = new FrameBuilder.Columns<int, string>();
        builder.Add("class", new Series<int, string>(keys, table.Prototypes.Select(p => p.Class).ToArray()));
        builder.Add("action units", new Series<int, string>(keys, table.Prototypes.Select(p => string.Join(" + ", p.ActionUnits)).ToArray()));
        builder.Add("meaning", new Series<int, string>(keys, table.Prototypes
            .Select(p => string.Join(" + ", p.ActionUnits.Select(au => ActionUnitNames.GetValueOrDefault(au, au)))).ToArray()));
        builder.Add("line", new Series<int, int>(keys, table.Prototypes.Select(p => p.Line).ToArray()));
        return builder.Frame;
    }

    /// <summary>
    /// One clip's analysis: per prototype class (table order), the share of usable frames showing it
    /// (<paramref name="shares"/>, as task 3's analysis gives them), and a mark on the class the clip was labelled
    /// with (<paramref name="label"/>; neutral when no share reaches the minimum).
    /// </summary>
    public static Frame<string, string> Shares(IReadOnlyDictionary<string, double> shares, string? label, AuPrototypeTable table)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentNullException.ThrowIfNull(table);
        var classes = table.Classes.ToArray();
        var builder = new FrameBuilder.Columns<string, string>();
        builder.Add("share of usable frames", new Series<string, double>(classes,
            classes.Select(c => shares.TryGetValue(c, out var share) ? share : (c == AuPrototypeTable.Neutral ? double.NaN : 0)).ToArray()));
        builder.Add("label", new Series<string, string>(classes, classes.Select(c => c == label ? "◀ label" : string.Empty).ToArray()));
        return builder.Frame;
    }
}
