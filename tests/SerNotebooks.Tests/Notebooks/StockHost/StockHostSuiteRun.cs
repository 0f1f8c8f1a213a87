using System.Diagnostics;
using System.Text.Json.Nodes;
using SerNotebooks.Cli.Notebooks;

namespace SerNotebooks.Tests.Notebooks.StockHost;

/// <summary>One notebook as the stock host ran it: each submitted cell (in order) and the host's log.</summary>
public sealed record StockHostNotebookRun(string Notebook, IReadOnlyList<(int CellNumber, StockHostCellResult Result)> Cells, int CodeCells, string HostLog, TimeSpan Elapsed)
{
    public string Name => Path.GetFileNameWithoutExtension(Notebook);
}

/// <summary>
/// Every notebook of notebooks/, run once per test class in VS Code's stock .NET Interactive host, cell by cell,
/// with the tiny profile: the parameters cell runs as written, then a cell assigning the test's values (the same
/// injected cell <c>sernb notebooks run --param</c> adds). A fresh host per notebook, as reopening it in VS Code
/// gives; a notebook stops at its first failing cell. Data, cache, reports and runs live in a temporary folder.
/// </summary>
public sealed class StockHostSuiteRun : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan CellTimeout = TimeSpan.FromMinutes(10);

    public StockHostSuiteRun()
    {
        Repository = SerNotebooksPaths.FindRepositoryRoot(AppContext.BaseDirectory);
        Root = Path.Combine(Path.GetTempPath(), "sernb-stock-host-" + Guid.NewGuid().ToString("N"));
    }

    public string Repository { get; }

    public string Root { get; }

    public IReadOnlyList<string> Parameters => ["profile=tiny", "seeds=2", $"runs={Path.Combine(Root, "runs")}"];

    public IReadOnlyList<StockHostNotebookRun> Runs { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await StockHostTool.RestoreAsync(Repository);
        var notebooksFolder = Path.Combine(Repository, "notebooks");
        var injected = NotebookParameters.BuildInjectedCell(NotebookParameters.Parse(Parameters));
        var environment = new Dictionary<string, string>
        {
            [SerNotebooksPaths.DataVariable] = Path.Combine(Root, "data"),
            [SerNotebooksPaths.CacheVariable] = Path.Combine(Root, "cache"),
            [SerNotebooksPaths.ReportsVariable] = Path.Combine(Root, "reports"),
        };
        var runs = new List<StockHostNotebookRun>();
        foreach (var notebook in NotebookDiscovery.Expand([notebooksFolder]))
        {
            runs.Add(await RunAsync(notebook, injected, environment));
        }
        Runs = runs;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }

    private static async Task<StockHostNotebookRun> RunAsync(string notebook, string injectedParameters, IReadOnlyDictionary<string, string> environment)
    {
        var clock = Stopwatch.StartNew();
        var cells = TestNotebook.ReadCells(notebook);
        var codeCells = cells.Count(c => c!["cell_type"]!.GetValue<string>() == "code");
        var results = new List<(int, StockHostCellResult)>();
        await using var host = await StockNotebookHost.StartAsync(Path.GetDirectoryName(notebook)!, environment, ReadyTimeout);
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i]!;
            if (cell["cell_type"]!.GetValue<string>() != "code")
            {
                continue;
            }
            var kernel = cell["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>() ?? "csharp";
            var result = await host.SubmitAsync(TestNotebook.Text(cell["source"]), kernel, CellTimeout);
            results.Add((i + 1, result));
            if (result.Succeeded && IsParametersCell(cell))
            {
                result = await host.SubmitAsync(injectedParameters, kernel, CellTimeout);
                results.Add((i + 1, result));
            }
            if (!result.Succeeded || result.HasErrorOutput)
            {
                break;
            }
        }
        return new StockHostNotebookRun(notebook, results, codeCells, host.Log, clock.Elapsed);
    }

    private static bool IsParametersCell(JsonNode cell) =>
        cell["metadata"]?["tags"] is JsonArray tags && tags.Any(t => t?.GetValue<string>() == NotebookParameters.ParametersTag);
}
