using SerNotebooks.Cli.Commands;
using Spectre.Console;

namespace SerNotebooks.Tests.Notebooks;

[Collection(NotebookCollection.Name)]
public sealed class NotebooksCommandInputTests : IDisposable
{
    private readonly TestNotebook notebook = new();
    private readonly StringWriter output = new();
    private readonly IAnsiConsole console;

    public NotebooksCommandInputTests()
    {
        console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 10_000;
    }

    public void Dispose() => notebook.Dispose();

    [Fact]
    public async Task TruncatedNotebookIsRejectedNamingTheFile()
    {
        var path = Path.Combine(notebook.Folder, "truncated.ipynb");
        File.WriteAllText(path, "{\"cells\": [ {\"cell_type\": \"code\", ");

        var exitCode = await NotebooksCommand.RunAsync([path], notebook.OutputFolder, [], console);

        Assert.Equal(NotebooksCommand.InvalidInputExitCode, exitCode);
        Assert.Contains($"Notebook {path} could not be read", output.ToString());
        Assert.False(File.Exists(Path.Combine(notebook.OutputFolder, "truncated.ipynb")));
    }

    [Fact]
    public async Task MissingPathIsRejected()
    {
        var missing = Path.Combine(notebook.Folder, "no-such-notebooks");

        var exitCode = await NotebooksCommand.RunAsync([missing], notebook.OutputFolder, [], console);

        Assert.Equal(NotebooksCommand.InvalidInputExitCode, exitCode);
        Assert.Contains(missing, output.ToString());
    }

    [Fact]
    public async Task MalformedParamIsRejectedBeforeAnythingRuns()
    {
        var path = notebook.Code("Console.WriteLine(1);").Save("ok.ipynb");

        var exitCode = await NotebooksCommand.RunAsync([path], notebook.OutputFolder, ["profile"], console);

        Assert.Equal(NotebooksCommand.InvalidInputExitCode, exitCode);
        Assert.Contains("--param 'profile' is not of the form key=value", output.ToString());
        Assert.False(Directory.Exists(notebook.OutputFolder));
    }

    [Fact]
    public void FolderExpandsToItsNotebooksInNameOrder()
    {
        notebook.Code("1").Save("10-later.ipynb");
        notebook.Code("1").Save("02-second.ipynb");
        notebook.Code("1").Save("01-first.ipynb");
        File.WriteAllText(Path.Combine(notebook.Folder, "notes.txt"), "not a notebook");

        var notebooks = SerNotebooks.Cli.Notebooks.NotebookDiscovery.Expand([notebook.Folder]);

        Assert.Equal(["01-first.ipynb", "02-second.ipynb", "10-later.ipynb"], notebooks.Select(Path.GetFileName));
    }
}
