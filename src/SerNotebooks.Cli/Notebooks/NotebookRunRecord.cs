using System.Globalization;
using System.Text.Json;

namespace SerNotebooks.Cli.Notebooks;

/// <summary>
/// How one notebook run went, stored in the executed notebook's own metadata (key <c>sernb</c>, as papermill
/// keeps its <c>papermill</c> block) so a report can be rendered again later from the .ipynb files alone.
/// </summary>
/// <param name="StartedUtc">When the first cell started.</param>
/// <param name="Duration">Wall time of the whole notebook.</param>
/// <param name="Failure">The failing cell, or null when every cell ran.</param>
/// <param name="Parameters">The --param values injected into the notebook.</param>
public sealed record NotebookRunRecord(
    DateTimeOffset StartedUtc,
    TimeSpan Duration,
    NotebookFailure? Failure,
    IReadOnlyDictionary<string, string> Parameters)
{
    public const string MetadataKey = "sernb";

    /// <summary>The metadata value the notebook writer serialises.</summary>
    public Dictionary<string, object> ToMetadata()
    {
        var metadata = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["started_utc"] = StartedUtc.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["duration_seconds"] = Math.Round(Duration.TotalSeconds, 3),
            ["status"] = Failure is null ? "ok" : "failed",
            ["parameters"] = new Dictionary<string, object>(Parameters.Select(p => KeyValuePair.Create(p.Key, (object)p.Value)), StringComparer.Ordinal),
        };
        if (Failure is not null)
        {
            metadata["failed_cell"] = Failure.CellNumber;
            metadata["failed_in_injected_parameters"] = Failure.IsInjectedParametersCell;
            metadata["error"] = Failure.Message;
        }
        return metadata;
    }

    /// <summary>Reads the block back from a notebook's <c>metadata</c> object; null when it has none.</summary>
    public static NotebookRunRecord? FromNotebookMetadata(JsonElement notebookMetadata, string notebookPath)
    {
        if (notebookMetadata.ValueKind != JsonValueKind.Object
            || !notebookMetadata.TryGetProperty(MetadataKey, out var block)
            || block.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        try
        {
            var started = DateTimeOffset.Parse(block.GetProperty("started_utc").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var duration = TimeSpan.FromSeconds(block.GetProperty("duration_seconds").GetDouble());
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            if (block.TryGetProperty("parameters", out var values) && values.ValueKind == JsonValueKind.Object)
            {
                foreach (var value in values.EnumerateObject())
                {
                    parameters[value.Name] = value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString()! : value.Value.GetRawText();
                }
            }
            NotebookFailure? failure = null;
            if (block.GetProperty("status").GetString() == "failed")
            {
                failure = new NotebookFailure(
                    block.GetProperty("failed_cell").GetInt32(),
                    block.TryGetProperty("error", out var error) ? error.GetString() ?? "" : "",
                    block.TryGetProperty("failed_in_injected_parameters", out var injected) && injected.ValueKind == JsonValueKind.True);
            }
            return new NotebookRunRecord(started, duration, failure, parameters);
        }
        catch (Exception exception) when (exception is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Notebook {notebookPath}: metadata.{MetadataKey} is malformed ({exception.Message}).", exception);
        }
    }
}
