using System.CommandLine;
using System.Globalization;
using SerNotebooks.Cli.Notebooks;
using Spectre.Console;

namespace SerNotebooks.Cli.Commands;

/// <summary><c>sernb notebooks run</c>: executes Polyglot notebooks headless and writes the executed copies.</summary>
public static class NotebooksCommand
{
    public const int NotebookFailedExitCode = 1;
    public const int InvalidInputExitCode = 2;

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Notebooks (.ipynb) or folders; a folder runs its notebooks in name order.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string?>("--out")
        {
            Description = "Folder for the executed notebooks (default: reports/<timestamp>/ under the reports folder).",
        };
        var parameters = new Option<string[]>("--param")
        {
            Description = "key=value assigned after each notebook's cell tagged 'parameters' (papermill style); repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };

        var run = new Command("run", "Run notebooks cell by cell, each in a fresh C# kernel; stop at the first failing cell.");
        run.Arguments.Add(paths);
        run.Options.Add(output);
        run.Options.Add(parameters);
        run.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(paths) ?? [],
            parseResult.GetValue(output),
            parseResult.GetValue(parameters) ?? [],
            console: null,
            cancellationToken));

        var runDirectory = new Argument<string>("run-dir")
        {
            Description = "A run folder holding executed .ipynb files (as written by 'notebooks run').",
        };
        var report = new Command("report", "Render the HTML report (index.html plus one page per notebook) of a run folder again.");
        report.Arguments.Add(runDirectory);
        report.SetAction(parseResult => Report(parseResult.GetValue(runDirectory)!, console: null));

        var notebooks = new Command("notebooks", "Work with the project's Polyglot notebooks.");
        notebooks.Subcommands.Add(run);
        notebooks.Subcommands.Add(report);
        return notebooks;
    }

    /// <summary>The command's behaviour, callable without parsing; returns the process exit code.</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> paths,
        string? outputDirectory,
        IReadOnlyList<string> parameterPairs,
        IAnsiConsole? console = null,
        CancellationToken cancellationToken = default)
    {
        // Bound to the real stdout now: while a cell runs, the kernel redirects Console.Out into the cell.
        if (console is null)
        {
            console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
            if (Console.IsOutputRedirected)
            {
                // Logs are read as text: do not hard-wrap error messages and paths at 80 columns.
                console.Profile.Width = 240;
            }
        }

        IReadOnlyList<string> notebooks;
        IReadOnlyDictionary<string, string> parameters;
        try
        {
            notebooks = NotebookDiscovery.Expand(paths);
            parameters = NotebookParameters.Parse(parameterPairs);
        }
        catch (Exception exception) when (exception is ArgumentException or IOException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
            return InvalidInputExitCode;
        }

        var outputFolder = Path.GetFullPath(outputDirectory ?? DefaultOutputDirectory());
        console.MarkupLineInterpolated($"Running {notebooks.Count} notebook(s) into [blue]{outputFolder}[/]");

        var runner = new NotebookRunner(parameters);
        runner.Warning += message => console.MarkupLineInterpolated($"[yellow]warning:[/] {message}");
        var progress = new ConsoleProgress(console);
        for (var i = 0; i < notebooks.Count; i++)
        {
            var notebook = notebooks[i];
            console.MarkupLineInterpolated($"[bold]{Path.GetFileName(notebook)}[/]");
            NotebookRunResult result;
            try
            {
                result = await runner.RunAsync(notebook, outputFolder, progress, cancellationToken);
            }
            catch (Exception exception) when (exception is InvalidDataException or NotSupportedException or ArgumentException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
                if (i > 0)
                {
                    WriteReport(outputFolder, notebooks.Skip(i).ToList(), console);
                }
                return InvalidInputExitCode;
            }

            if (result.Failure is { } failure)
            {
                console.MarkupLineInterpolated($"[red]failed:[/] {failure.Describe(notebook)}");
                console.MarkupLineInterpolated($"Executed notebook with the error written to [blue]{result.OutputPath}[/]");
                // The report shows the failure (and what did not run): it is what a user opens first.
                WriteReport(outputFolder, notebooks.Skip(i + 1).ToList(), console);
                return NotebookFailedExitCode;
            }
            console.MarkupLineInterpolated(
                $"  [green]done[/] in {result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s -> {result.OutputPath}");
        }
        return WriteReport(outputFolder, [], console) ? 0 : NotebookFailedExitCode;
    }

    /// <summary><c>sernb notebooks report</c>: renders a run folder's report again; returns the exit code.</summary>
    public static int Report(string runDirectory, IAnsiConsole? console = null)
    {
        console ??= AnsiConsole.Console;
        try
        {
            return WriteReport(Path.GetFullPath(runDirectory), [], console, rethrow: true) ? 0 : NotebookFailedExitCode;
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
            return InvalidInputExitCode;
        }
    }

    /// <summary>Writes the HTML report; false when it could not be written or would load something from the network.</summary>
    private static bool WriteReport(string runDirectory, IReadOnlyList<string> notRun, IAnsiConsole console, bool rethrow = false)
    {
        HtmlReportResult report;
        try
        {
            report = HtmlReport.Write(runDirectory, notRun);
        }
        catch (Exception exception) when (!rethrow && exception is IOException or InvalidDataException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] the HTML report could not be written: {exception.Message}");
            return false;
        }
        foreach (var (page, url) in report.ExternalReferences)
        {
            console.MarkupLineInterpolated($"[yellow]warning:[/] {page} loads {url}: that part will not show offline.");
        }
        console.MarkupLineInterpolated($"Report: [blue]{report.IndexPath}[/] ({report.PagePaths.Count} notebook page(s))");
        return true;
    }

    private static string DefaultOutputDirectory() =>
        Path.Combine(
            SerNotebooksPaths.Resolve().ReportsDirectory,
            DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));

    /// <summary>Writes one line per finished cell, synchronously, between cells (never while one runs).</summary>
    private sealed class ConsoleProgress(IAnsiConsole console) : IProgress<CellProgress>
    {
        public void Report(CellProgress value)
        {
            if (value.Completed is not { } cell)
            {
                return;
            }
            var label = cell.IsInjectedParametersCell ? $"cell {cell.CellNumber}+ (parameters)" : $"cell {cell.CellNumber}";
            var seconds = cell.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
            if (cell.Succeeded)
            {
                console.MarkupLineInterpolated($"  [green]ok[/]    {label} ({seconds} s)");
            }
            else
            {
                console.MarkupLineInterpolated($"  [red]error[/] {label} ({seconds} s)");
            }
        }
    }
}
