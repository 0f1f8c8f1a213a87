using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SerNotebooks.Faces;

/// <summary>An emotion-prototype rule table file is malformed; the message names the file and line.</summary>
public sealed class AuPrototypeTableException(string message) : Exception(message);

/// <summary>One rule: <see cref="Class"/> is present in a frame when every AU in <see cref="ActionUnits"/> is present.</summary>
public sealed record AuPrototype(string Class, IReadOnlyList<string> ActionUnits, int Line);

/// <summary>
/// Task 3's rule table (data-manifests/pretext/au-emotion-prototypes.csv): CSV with header
/// <c>class,action_units,enabled</c>, <c>#</c> comment lines and blank lines allowed. Only enabled rows count;
/// several enabled rows of one class are alternatives. Classes are ordered by first enabled row (that order
/// also breaks ties), with <see cref="Neutral"/> appended.
/// </summary>
public sealed partial class AuPrototypeTable
{
    public const string Neutral = "neutral";
    public const string DefaultRelativePath = "data-manifests/pretext/au-emotion-prototypes.csv";
    private const string ResourceName = "SerNotebooks.Pretext.au-emotion-prototypes.csv";
    private const string Header = "class,action_units,enabled";

    /// <summary>AUs whose presence (<c>AUxx_c</c>) OpenFace 2.x outputs; AU28 has no intensity column.</summary>
    public static IReadOnlySet<string> OpenFacePresenceUnits { get; } = new HashSet<string>(
        new[] { 1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 28, 45 }.Select(au => $"AU{au:00}"), StringComparer.Ordinal);

    private AuPrototypeTable(string source, IReadOnlyList<AuPrototype> prototypes)
    {
        Source = source;
        Prototypes = prototypes;
        Classes = [.. prototypes.Select(p => p.Class).Distinct(), Neutral];
        ActionUnits = prototypes.SelectMany(p => p.ActionUnits).Distinct().Order(StringComparer.Ordinal).ToArray();
        var canonical = string.Join("\n", prototypes.Select(p => $"{p.Class}:{string.Join('+', p.ActionUnits)}"));
        RulesHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Where the table came from (a path, or the embedded copy).</summary>
    public string Source { get; }

    /// <summary>Enabled rules in file order.</summary>
    public IReadOnlyList<AuPrototype> Prototypes { get; }

    /// <summary>Prototype classes in first-row order, then <see cref="Neutral"/>.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Every AU the enabled rules use, sorted.</summary>
    public IReadOnlyList<string> ActionUnits { get; }

    /// <summary>SHA-256 of the enabled rules in canonical form (comments, disabled rows and spacing do not change it).</summary>
    public string RulesHash { get; }

    /// <summary>
    /// The table at <paramref name="path"/>; when null, the project's data-manifests copy found from the current or
    /// application directory upwards, else the copy embedded in the library (the same committed file).
    /// </summary>
    public static AuPrototypeTable Load(string? path = null)
    {
        if (path is not null)
        {
            if (!File.Exists(path))
            {
                throw new AuPrototypeTableException($"{path}: emotion-prototype table not found");
            }
            return Parse(path, File.ReadAllText(path));
        }
        var found = FindInProject();
        if (found is not null)
        {
            return Parse(found, File.ReadAllText(found));
        }
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new AuPrototypeTableException($"no {DefaultRelativePath} found and no embedded copy in the library");
        using var reader = new StreamReader(stream);
        return Parse($"embedded {DefaultRelativePath}", reader.ReadToEnd());
    }

    /// <summary>Parses and validates table text; <paramref name="source"/> names it in errors ("file:line: ...").</summary>
    public static AuPrototypeTable Parse(string source, string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var prototypes = new List<AuPrototype>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var headerSeen = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var number = i + 1;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (!headerSeen)
            {
                if (!string.Equals(string.Join(',', line.Split(',').Select(f => f.Trim())), Header, StringComparison.OrdinalIgnoreCase))
                {
                    throw new AuPrototypeTableException($"{source}:{number}: expected the header '{Header}', found '{line}'");
                }
                headerSeen = true;
                continue;
            }
            var fields = line.Split(',').Select(f => f.Trim()).ToArray();
            if (fields.Length != 3)
            {
                throw new AuPrototypeTableException($"{source}:{number}: expected 3 fields ({Header}), found {fields.Length}: '{line}'");
            }
            var name = fields[0];
            if (!ClassName().IsMatch(name))
            {
                throw new AuPrototypeTableException($"{source}:{number}: class '{name}' must be lower-case letters, digits, '-' or '_', starting with a letter");
            }
            if (name == Neutral)
            {
                throw new AuPrototypeTableException($"{source}:{number}: '{Neutral}' is the fallback label when no prototype is present; it cannot have a rule");
            }
            var units = new List<string>();
            foreach (var token in fields[1].Split('+', StringSplitOptions.TrimEntries))
            {
                var match = AuToken().Match(token);
                if (!match.Success)
                {
                    throw new AuPrototypeTableException($"{source}:{number}: '{token}' is not an action unit (write AU06 or AU6; join with '+')");
                }
                var unit = $"AU{int.Parse(match.Groups[1].Value):00}";
                if (!OpenFacePresenceUnits.Contains(unit))
                {
                    throw new AuPrototypeTableException(
                        $"{source}:{number}: {unit} is not an AU OpenFace 2.x reports ({string.Join(" ", OpenFacePresenceUnits.Order(StringComparer.Ordinal))})");
                }
                if (units.Contains(unit))
                {
                    throw new AuPrototypeTableException($"{source}:{number}: {unit} is listed twice");
                }
                units.Add(unit);
            }
            bool enabled = fields[2].ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw new AuPrototypeTableException($"{source}:{number}: enabled must be 'true' or 'false', found '{fields[2]}'"),
            };
            units.Sort(StringComparer.Ordinal);
            var key = $"{name}:{string.Join('+', units)}";
            if (seen.TryGetValue(key, out var earlier))
            {
                throw new AuPrototypeTableException($"{source}:{number}: the rule {key} repeats line {earlier}");
            }
            seen[key] = number;
            if (enabled)
            {
                prototypes.Add(new AuPrototype(name, units, number));
            }
        }
        if (!headerSeen)
        {
            throw new AuPrototypeTableException($"{source}: no header line '{Header}'");
        }
        if (prototypes.Count == 0)
        {
            throw new AuPrototypeTableException($"{source}: no enabled rule (every row has enabled = false)");
        }
        return new AuPrototypeTable(source, prototypes);
    }

    private static string? FindInProject()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, DefaultRelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]*$")]
    private static partial Regex ClassName();

    [GeneratedRegex(@"^AU(\d{1,2})$", RegexOptions.IgnoreCase)]
    private static partial Regex AuToken();
}
