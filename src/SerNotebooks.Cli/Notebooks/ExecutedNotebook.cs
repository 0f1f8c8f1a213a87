using System.Text.Json;

namespace SerNotebooks.Cli.Notebooks;

/// <summary>One cell of an executed notebook as nbformat 4 stores it.</summary>
/// <param name="Kind">nbformat's <c>cell_type</c>: code, markdown or raw.</param>
/// <param name="CellNumber">1-based position as the user sees the notebook (an injected parameters cell
/// shares the number of the parameters cell it follows).</param>
/// <param name="Outputs">The cell's nbformat output objects, in order.</param>
public sealed record ExecutedCell(
    string Kind,
    string Source,
    int CellNumber,
    bool IsInjectedParameters,
    int? ExecutionCount,
    IReadOnlyList<JsonElement> Outputs);

/// <summary>An executed .ipynb read back from disk, with how its run went.</summary>
public sealed class ExecutedNotebook
{
    private ExecutedNotebook(string path, IReadOnlyList<ExecutedCell> cells, NotebookRunRecord? run, NotebookFailure? failure)
    {
        Path = path;
        Cells = cells;
        Run = run;
        Failure = failure;
    }

    public string Path { get; }

    /// <summary>The notebook's file name without extension, e.g. <c>00-setup</c>.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    public IReadOnlyList<ExecutedCell> Cells { get; }

    /// <summary>What the runner recorded; null for a notebook executed elsewhere (e.g. VS Code).</summary>
    public NotebookRunRecord? Run { get; }

    /// <summary>The failing cell: from the run record, else the first cell with an error output.</summary>
    public NotebookFailure? Failure { get; }

    public bool Succeeded => Failure is null;

    public static ExecutedNotebook Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(File.ReadAllBytes(full), new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"Notebook {full} is not valid JSON: {exception.Message}", exception);
        }

        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("cells", out var cellsJson)
                || cellsJson.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"Notebook {full} has no 'cells' array: not an nbformat 4 notebook.");
            }

            var cells = new List<ExecutedCell>();
            var cellNumber = 0;
            var index = 0;
            foreach (var cell in cellsJson.EnumerateArray())
            {
                index++;
                if (cell.ValueKind != JsonValueKind.Object || !cell.TryGetProperty("cell_type", out var kindJson) || kindJson.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"Notebook {full}, cell {index}: missing 'cell_type'.");
                }
                var injected = HasTag(cell, NotebookParameters.InjectedParametersTag);
                if (!injected)
                {
                    cellNumber++;
                }
                int? executionCount = cell.TryGetProperty("execution_count", out var countJson) && countJson.ValueKind == JsonValueKind.Number
                    ? countJson.GetInt32()
                    : null;
                var outputs = cell.TryGetProperty("outputs", out var outputsJson) && outputsJson.ValueKind == JsonValueKind.Array
                    ? outputsJson.EnumerateArray().Select(o => o.Clone()).ToList()
                    : [];
                cells.Add(new ExecutedCell(kindJson.GetString()!, Text(cell, "source"), Math.Max(cellNumber, 1), injected, executionCount, outputs));
            }

            var run = root.TryGetProperty("metadata", out var metadata) ? NotebookRunRecord.FromNotebookMetadata(metadata, full) : null;
            return new ExecutedNotebook(full, cells, run, run is null ? FirstError(cells) : run.Failure);
        }
    }

    /// <summary>nbformat stores multi-line text either as one string or as a list of lines.</summary>
    public static string Text(JsonElement owner, string property) =>
        owner.TryGetProperty(property, out var value) ? Text(value) : "";

    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => string.Concat(value.EnumerateArray().Select(line => line.ValueKind == JsonValueKind.String ? line.GetString() : line.GetRawText())),
        JsonValueKind.Undefined or JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };

    private static NotebookFailure? FirstError(IEnumerable<ExecutedCell> cells)
    {
        foreach (var cell in cells)
        {
            var error = cell.Outputs.FirstOrDefault(o => Text(o, "output_type") == "error");
            if (error.ValueKind == JsonValueKind.Object)
            {
                return new NotebookFailure(cell.CellNumber, $"{Text(error, "ename")}: {Text(error, "evalue")}", cell.IsInjectedParameters);
            }
        }
        return null;
    }

    private static bool HasTag(JsonElement cell, string tag) =>
        cell.TryGetProperty("metadata", out var metadata)
        && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("tags", out var tags)
        && tags.ValueKind == JsonValueKind.Array
        && tags.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.GetString() == tag);
}
