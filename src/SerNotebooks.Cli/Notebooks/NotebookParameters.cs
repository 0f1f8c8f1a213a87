using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive.Documents;

namespace SerNotebooks.Cli.Notebooks;

/// <summary>
/// Papermill-style parameters: a code cell tagged <c>parameters</c> holds defaults; values given on the
/// command line are assigned in a cell injected right after it (tagged <c>injected-parameters</c>).
/// </summary>
public static partial class NotebookParameters
{
    public const string ParametersTag = "parameters";
    public const string InjectedParametersTag = "injected-parameters";

    /// <summary>Parses <c>key=value</c> pairs; the key must be a C# identifier.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> pairs)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                throw new ArgumentException($"--param '{pair}' is not of the form key=value.");
            }
            var key = pair[..separator].Trim();
            if (!IdentifierPattern().IsMatch(key) || SyntaxFacts.GetKeywordKind(key) != SyntaxKind.None)
            {
                throw new ArgumentException($"--param '{pair}': '{key}' is not a valid C# variable name.");
            }
            parameters[key] = pair[(separator + 1)..];
        }
        return parameters;
    }

    /// <summary>Index of the first cell tagged <c>parameters</c>, or -1.</summary>
    public static int FindParametersCell(InteractiveDocument document)
    {
        for (var i = 0; i < document.Elements.Count; i++)
        {
            if (HasTag(document.Elements[i], ParametersTag))
            {
                return i;
            }
        }
        return -1;
    }

    public static bool HasTag(InteractiveDocumentElement element, string tag) =>
        element.Metadata is { } metadata
        && metadata.TryGetValue("tags", out var tags)
        && ReadTags(tags).Contains(tag, StringComparer.Ordinal);

    /// <summary>
    /// C# for the injected cell. Each value becomes a fresh <c>var</c> declaration: a script submission may
    /// redeclare a variable of an earlier one, so a value may even change the type the default had.
    /// </summary>
    public static string BuildInjectedCell(IReadOnlyDictionary<string, string> parameters)
    {
        var code = new StringBuilder("// Parameters injected by sernb notebooks run\n");
        foreach (var (name, value) in parameters)
        {
            code.Append(CultureInfo.InvariantCulture, $"var {name} = {ToLiteral(value)};\n");
        }
        return code.ToString();
    }

    /// <summary>true/false become bool, integers int (or long), decimals double, anything else a string.</summary>
    public static string ToLiteral(string value)
    {
        var trimmed = value.Trim();
        if (bool.TryParse(trimmed, out var flag))
        {
            return flag ? "true" : "false";
        }
        if (IntegerPattern().IsMatch(trimmed))
        {
            if (int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var small))
            {
                return small.ToString(CultureInfo.InvariantCulture);
            }
            if (long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var large))
            {
                return large.ToString(CultureInfo.InvariantCulture) + "L";
            }
        }
        if (DecimalPattern().IsMatch(trimmed)
            && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            && double.IsFinite(real))
        {
            var text = real.ToString("R", CultureInfo.InvariantCulture);
            // "1e3" round-trips as "1000", which C# would read as an int.
            return text.Contains('.') || text.Contains('E') ? text : text + ".0";
        }
        return SymbolDisplay.FormatLiteral(value, quote: true);
    }

    public static InteractiveDocumentElement CreateInjectedCell(IReadOnlyDictionary<string, string> parameters, string kernelName) =>
        new(BuildInjectedCell(parameters), kernelName)
        {
            Metadata = new Dictionary<string, object> { ["tags"] = new List<object> { InjectedParametersTag } },
        };

    private static IEnumerable<string> ReadTags(object? tags) => tags switch
    {
        null => [],
        string single => [single],
        JsonElement { ValueKind: JsonValueKind.Array } array =>
            array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
        IEnumerable items => items.Cast<object?>().Select(item => item switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            _ => null,
        }).OfType<string>(),
        _ => [],
    };

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"^[+-]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]+)$")]
    private static partial Regex DecimalPattern();
}
