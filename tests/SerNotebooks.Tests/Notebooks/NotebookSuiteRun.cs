using System.Diagnostics;
using SerNotebooks.Cli.Commands;
using SerNotebooks.Cli.Notebooks;
using Spectre.Console;

namespace SerNotebooks.Tests.Notebooks;

/// <summary>
/// The repository's notebook suite, executed once per test class that needs it, exactly as
/// <c>sernb notebooks run notebooks/ --param profile=tiny --param seeds=2 --param runs=&lt;temp&gt;</c> does
/// (same in-process runner, same report), into a temporary folder that is removed afterwards.
/// </summary>
public sealed class NotebookSuiteRun : IAsyncLifetime
{
    private readonly StringWriter console = new();

    public NotebookSuiteRun()
    {
        var repository = SerNotebooksPaths.FindRepositoryRoot(AppContext.BaseDirectory);
        NotebooksFolder = Path.Combine(repository, "notebooks");
        Root = Path.Combine(Path.GetTempPath(), "sernb-notebook-suite-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>The repository's notebooks/ folder.</summary>
    public string NotebooksFolder { get; }

    /// <summary>Every notebook the command runs, in the order it runs them.</summary>
    public IReadOnlyList<string> Notebooks { get; private set; } = [];

    public string Root { get; }

    /// <summary>The executed notebooks and the HTML report.</summary>
    public string OutputFolder => Path.Combine(Root, "out");

    /// <summary>The experiment's runs (corpus, features, pre-training and fine-tuning runs), the <c>runs</c> parameter.</summary>
    public string RunsFolder => Path.Combine(Root, "runs");

    public IReadOnlyList<string> Parameters => ["profile=tiny", "seeds=2", $"runs={RunsFolder}"];

    public int ExitCode { get; private set; } = -1;

    public TimeSpan Elapsed { get; private set; }

    /// <summary>What the command printed (progress, failures, the report's path).</summary>
    public string ConsoleOutput => console.ToString();

    /// <summary>The executed copy of <paramref name="notebook"/> (which may be missing when an earlier notebook failed).</summary>
    public string ExecutedPath(string notebook) => Path.Combine(OutputFolder, Path.GetFileName(notebook));

    public async Task InitializeAsync()
    {
        Notebooks = NotebookDiscovery.Expand([NotebooksFolder]);
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        ansi.Profile.Width = 10_000;
        var clock = Stopwatch.StartNew();
        ExitCode = await NotebooksCommand.RunAsync([NotebooksFolder], OutputFolder, Parameters, ansi);
        Elapsed = clock.Elapsed;
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
}
