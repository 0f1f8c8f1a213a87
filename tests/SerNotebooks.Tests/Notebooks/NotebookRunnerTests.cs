using System.Text.Json.Nodes;
using SerNotebooks.Cli.Commands;
using SerNotebooks.Cli.Notebooks;
using SerNotebooks.Notebooks;
using Spectre.Console;

namespace SerNotebooks.Tests.Notebooks;

[Collection(NotebookCollection.Name)]
public sealed class NotebookRunnerTests : IDisposable
{
    private readonly TestNotebook notebook = new();

    public void Dispose() => notebook.Dispose();

    [Fact]
    public async Task ExecutedNotebookHoldsTextReturnValuesAndChartHtml()
    {
        var path = notebook
            .Markdown("# A small notebook\nwith prose that must survive")
            .Code("Console.WriteLine(\"hello from cell 2\");")
            .Code(string.Join('\n',
                TestNotebook.Reference(typeof(Plotly.NET.GenericChart)),
                TestNotebook.Reference(typeof(Plotly.NET.CSharp.Chart)),
                "Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { 1.0, 2.0, 3.0 }, y: new[] { 2.0, 4.0, 8.0 }, Name: \"doubling\")"))
            .Code("6 * 7")
            .Save("small.ipynb");

        var result = await new NotebookRunner().RunAsync(path, notebook.OutputFolder);

        Assert.True(result.Succeeded, result.Failure?.Describe(path));
        Assert.Equal([2, 3, 4], result.Cells.Select(c => c.CellNumber));
        var cells = TestNotebook.ReadCells(result.OutputPath);
        Assert.Equal(4, cells.Count);
        Assert.Equal("markdown", cells[0]!["cell_type"]!.GetValue<string>());
        Assert.Contains("prose that must survive", TestNotebook.Text(cells[0]!["source"]));

        var stdout = Assert.Single(cells[1]!["outputs"]!.AsArray());
        Assert.Equal("stream", stdout!["output_type"]!.GetValue<string>());
        Assert.Equal("hello from cell 2\n", TestNotebook.Text(stdout["text"]));

        var chart = Assert.Single(cells[2]!["outputs"]!.AsArray());
        Assert.Equal("execute_result", chart!["output_type"]!.GetValue<string>());
        var html = TestNotebook.Text(chart["data"]!["text/html"]);
        Assert.Contains(PlotlyChartHtml.ChartClass, html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("\"name\":\"doubling\"", html);
        Assert.Contains("[2.0,4.0,8.0]", html);

        var answer = Assert.Single(cells[3]!["outputs"]!.AsArray());
        Assert.Equal("42", TestNotebook.Text(answer!["data"]!["text/plain"]));
        Assert.Equal(3, cells[3]!["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task ThirdCellThrowingIsReportedAsCell3AndLaterCellsDoNotRun()
    {
        var path = notebook
            .Code("var reached = 1;")
            .Markdown("The next cell fails.")
            .Code("throw new InvalidOperationException(\"the third cell broke\");")
            .Code("Console.WriteLine(\"must not run\");")
            .Save("broken.ipynb");

        var result = await new NotebookRunner().RunAsync(path, notebook.OutputFolder);

        var failure = Assert.IsType<NotebookFailure>(result.Failure);
        Assert.Equal(3, failure.CellNumber);
        Assert.Contains("the third cell broke", failure.Message);
        Assert.Equal([1, 3], result.Cells.Select(c => c.CellNumber));

        // The executed notebook is written anyway, with the error where it happened.
        var cells = TestNotebook.ReadCells(result.OutputPath);
        var error = Assert.Single(cells[2]!["outputs"]!.AsArray());
        Assert.Equal("error", error!["output_type"]!.GetValue<string>());
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Contains("the third cell broke", error["evalue"]!.GetValue<string>());
        Assert.Empty(cells[3]!["outputs"]!.AsArray());
    }

    [Fact]
    public async Task CommandLineExitsNonZeroAndNamesNotebookAndCell()
    {
        var path = notebook
            .Code("var ok = true;")
            .Code("var alsoOk = 2;")
            .Code("int broken = \"not a number\";")
            .Save("compile-error.ipynb");
        var console = new StringWriter();
        var ansiConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console), ColorSystem = ColorSystemSupport.NoColors });
        ansiConsole.Profile.Width = 10_000;

        var exitCode = await NotebooksCommand.RunAsync([path], notebook.OutputFolder, [], ansiConsole);

        Assert.Equal(NotebooksCommand.NotebookFailedExitCode, exitCode);
        var text = console.ToString();
        Assert.Contains($"notebook {path}, cell 3:", text);
        Assert.Contains("CS0029", text);
    }

    [Fact]
    public async Task ParsedCommandLineReturnsNonZeroForFailingNotebook()
    {
        var path = notebook
            .Code("1 + 1")
            .Code("2 + 2")
            .Code("throw new Exception(\"fail\");")
            .Save("fails.ipynb");

        var exitCode = await NotebooksCommand.Create()
            .Parse(["run", path, "--out", notebook.OutputFolder])
            .InvokeAsync();

        Assert.Equal(NotebooksCommand.NotebookFailedExitCode, exitCode);
    }

    [Fact]
    public async Task ParamValuesOverrideTheParametersCell()
    {
        var path = notebook
            .Markdown("# Parameters")
            .Code("var profile = \"demo\";\nvar seeds = 3;\nvar fast = false;\nvar rate = 0.5;", NotebookParameters.ParametersTag)
            .Code("Console.WriteLine($\"{profile}|{seeds}|{seeds.GetType().Name}|{fast}|{rate}\");")
            .Save("parameters.ipynb");
        var parameters = NotebookParameters.Parse(["profile=tiny \"quoted\"", "seeds=5", "fast=true"]);

        var result = await new NotebookRunner(parameters).RunAsync(path, notebook.OutputFolder);

        Assert.True(result.Succeeded, result.Failure?.Describe(path));
        var cells = TestNotebook.ReadCells(result.OutputPath);
        Assert.Equal(4, cells.Count);
        var injected = cells[2]!;
        Assert.Contains(NotebookParameters.InjectedParametersTag, injected["metadata"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var printed = TestNotebook.Text(cells[3]!["outputs"]![0]!["text"]);
        Assert.Equal("tiny \"quoted\"|5|Int32|True|0.5\n", printed);
    }

    [Fact]
    public async Task NotebookRunsInItsOwnFolderAndCurrentDirectoryIsRestored()
    {
        File.WriteAllText(Path.Combine(notebook.Folder, "beside-the-notebook.txt"), "found relative to the notebook");
        var path = notebook
            .Code("System.IO.File.ReadAllText(\"beside-the-notebook.txt\")")
            .Code("display(\"shown with display()\");")
            .Save("relative.ipynb");
        var before = Environment.CurrentDirectory;

        var result = await new NotebookRunner().RunAsync(path, notebook.OutputFolder);

        Assert.True(result.Succeeded, result.Failure?.Describe(path));
        Assert.Equal(before, Environment.CurrentDirectory);
        var cells = TestNotebook.ReadCells(result.OutputPath);
        Assert.Contains("found relative to the notebook", TestNotebook.Text(cells[0]!["outputs"]![0]!["data"]!["text/plain"]));
        var displayed = Assert.Single(cells[1]!["outputs"]!.AsArray());
        Assert.Equal("display_data", displayed!["output_type"]!.GetValue<string>());
        Assert.Contains("shown with display()", TestNotebook.Text(displayed["data"]!["text/plain"]));
    }

    [Fact]
    public async Task LibraryAndItsDataFrameDependencyLoadInNotebooks()
    {
        var path = notebook
            .Code(string.Join('\n',
                TestNotebook.Reference(typeof(SerNotebooksAssembly)),
                TestNotebook.Reference(typeof(Deedle.Frame)),
                "var frame = Deedle.Frame.FromRecords(new[] { new { Seed = 1, F1 = 0.5 }, new { Seed = 2, F1 = 0.7 } });",
                "$\"{SerNotebooks.SerNotebooksAssembly.Version} rows={frame.RowCount}\""))
            .Save("library.ipynb");

        var result = await new NotebookRunner().RunAsync(path, notebook.OutputFolder);

        Assert.True(result.Succeeded, result.Failure?.Describe(path));
        var cells = TestNotebook.ReadCells(result.OutputPath);
        Assert.Equal($"{SerNotebooksAssembly.Version} rows=2", TestNotebook.Text(cells[0]!["outputs"]![0]!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task NugetDirectiveResolvesAPackageFromTheLocalCache()
    {
        // 13.0.4 is the version the solution itself restores, so it is in the NuGet cache of any machine
        // that built the tests.
        var path = notebook
            .Code("#r \"nuget: Newtonsoft.Json, 13.0.4\"")
            .Code("Newtonsoft.Json.JsonConvert.SerializeObject(new { answer = 42 })")
            .Save("nuget.ipynb");

        var result = await new NotebookRunner().RunAsync(path, notebook.OutputFolder);

        Assert.True(result.Succeeded, result.Failure?.Describe(path));
        var cells = TestNotebook.ReadCells(result.OutputPath);
        var installed = string.Concat(cells[0]!["outputs"]!.AsArray()
            .Select(o => o!["data"]?["text/plain"] ?? o["data"]?["text/html"]).Select(TestNotebook.Text));
        Assert.Contains("Newtonsoft.Json, 13.0.4", installed);
        Assert.Contains("{\"answer\":42}", TestNotebook.Text(cells[1]!["outputs"]![0]!["data"]!["text/plain"]));
    }
}
