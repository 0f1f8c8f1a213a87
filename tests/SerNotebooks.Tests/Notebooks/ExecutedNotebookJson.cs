using System.Text.Json.Nodes;

namespace SerNotebooks.Tests.Notebooks;

/// <summary>Hand-made executed notebooks (cells with outputs already in place) for report tests that need no kernel.</summary>
public static class ExecutedNotebookJson
{
    public static JsonObject Markdown(string source) =>
        new() { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = source };

    public static JsonObject Code(string source, int executionCount, params JsonObject[] outputs) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = executionCount,
        ["metadata"] = new JsonObject(),
        ["source"] = source,
        ["outputs"] = new JsonArray(outputs.Cast<JsonNode>().ToArray()),
    };

    public static JsonObject Stream(string name, string text) =>
        new() { ["output_type"] = "stream", ["name"] = name, ["text"] = new JsonArray(text) };

    public static JsonObject Result(string mimeType, string value) => new()
    {
        ["output_type"] = "execute_result",
        ["execution_count"] = 1,
        ["metadata"] = new JsonObject(),
        ["data"] = new JsonObject { [mimeType] = value },
    };

    public static void WriteNotebook(string path, JsonArray cells) =>
        File.WriteAllText(path, new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 4,
        }.ToJsonString());
}
