using System.Text.Json;
using System.Text.Json.Nodes;

namespace SerNotebooks.Tests.Notebooks;

/// <summary>Writes real Polyglot .ipynb files (the metadata VS Code writes) into a temporary folder.</summary>
public sealed class TestNotebook : IDisposable
{
    private readonly List<JsonObject> cells = [];

    public TestNotebook()
    {
        Folder = Path.Combine(Path.GetTempPath(), "sernb-notebook-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string OutputFolder => Path.Combine(Folder, "out");

    public TestNotebook Code(string source, params string[] tags)
    {
        var metadata = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        };
        if (tags.Length > 0)
        {
            metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray());
        }
        cells.Add(new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
            ["source"] = Lines(source),
        });
        return this;
    }

    public TestNotebook Markdown(string source)
    {
        cells.Add(new JsonObject
        {
            ["cell_type"] = "markdown",
            ["metadata"] = new JsonObject(),
            ["source"] = Lines(source),
        });
        return this;
    }

    public string Save(string fileName)
    {
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c.DeepClone()).ToArray()),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
                ["polyglot_notebook"] = new JsonObject
                {
                    ["kernelInfo"] = new JsonObject
                    {
                        ["defaultKernelName"] = "csharp",
                        ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                    },
                },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 2,
        };
        var path = Path.Combine(Folder, fileName);
        File.WriteAllText(path, notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        cells.Clear();
        return path;
    }

    /// <summary>The cells of an executed notebook as written by the runner.</summary>
    public static JsonArray ReadCells(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();

    /// <summary>Jupyter stores text as a string or as an array of lines.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        _ => node.GetValue<string>(),
    };

    /// <summary>A #r line for an assembly this test process has loaded (its path is absolute).</summary>
    public static string Reference(Type typeInAssembly) => $"#r \"{typeInAssembly.Assembly.Location}\"";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static JsonArray Lines(string source)
    {
        var parts = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return new JsonArray(parts.Select((p, i) => (JsonNode)JsonValue.Create(i < parts.Length - 1 ? p + "\n" : p)!).ToArray());
    }
}
