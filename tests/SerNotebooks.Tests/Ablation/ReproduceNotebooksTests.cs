using SerNotebooks.Ablation;
using SerNotebooks.Cli.Commands;
using SerNotebooks.Tests.Notebooks;

namespace SerNotebooks.Tests.Ablation;

/// <summary>A finished tiny reproduction (1 seed) shared by the tests: they only add the notebook step to it.</summary>
public sealed class TinyReproductionFolder : IDisposable
{
    public TinyReproductionFolder()
    {
        var (exit, output) = CliHarness.Run(ReproduceCommand.Create,
            "reproduce", "--profile", "tiny", "--seeds", "1", "--no-notebooks", "--out", Root);
        if (exit != 0)
        {
            throw new InvalidOperationException("the tiny reproduction failed:\n" + output);
        }
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "sernb-reproduce-notebooks-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

// Notebook runs change process-wide state (current directory, console): never in parallel with other kernels.
[Collection(NotebookCollection.Name)]
public sealed class ReproduceNotebooksTests(TinyReproductionFolder reproduction) : IClassFixture<TinyReproductionFolder>, IDisposable
{
    private readonly TestNotebook _notebooks = new();

    public void Dispose() => _notebooks.Dispose();

    [Fact]
    public void ReproduceRunsTheNotebooksOverItsOwnRunsAndWritesTheReport()
    {
        WithParameters()
            .Code("""
                if (profile != "tiny" || seeds != 1) throw new System.Exception($"parameters not injected: {profile} {seeds}");
                var results = System.IO.Path.Combine(runs, "results.csv");
                if (!System.IO.File.Exists(results)) throw new System.Exception("no results table in " + runs);
                System.Console.WriteLine(System.IO.File.ReadLines(results).First());
                """)
            .Save("01-reads-the-runs.ipynb");

        var (exit, output) = CliHarness.Run(ReproduceCommand.Create,
            "reproduce", "--profile", "tiny", "--seeds", "1", "--out", reproduction.Root, "--notebooks", _notebooks.Folder);

        Assert.True(exit == 0, output);
        Assert.Contains("trained 0 run(s), skipped 15", output); // The notebooks come after the ablation, which was finished.
        Assert.Contains("01-reads-the-runs.ipynb", output);
        var report = Path.Combine(reproduction.Root, ReproduceCommand.ReportFolder);
        Assert.Contains($"notebook report: {Path.Combine(report, "index.html")}", output);
        Assert.True(File.Exists(Path.Combine(report, "index.html")));
        var cells = TestNotebook.ReadCells(Path.Combine(report, "01-reads-the-runs.ipynb"));
        // The notebook printed the header of the reproduction's own results table.
        var printed = TestNotebook.Text(cells[^1]!["outputs"]![0]!["text"]);
        Assert.StartsWith("configuration,seed,evaluation,label_fraction,mode,macro_precision", printed);
    }

    [Fact]
    public void AFailingNotebookFailsTheCommandNamingTheNotebookAndCell()
    {
        WithParameters()
            .Code("throw new System.InvalidOperationException(\"chart data missing\");")
            .Save("02-broken.ipynb");

        var (exit, output) = CliHarness.Run(ReproduceCommand.Create,
            "reproduce", "--profile", "tiny", "--seeds", "1", "--out", reproduction.Root, "--notebooks", _notebooks.Folder);

        Assert.NotEqual(0, exit);
        Assert.Contains($"notebook {Path.Combine(_notebooks.Folder, "02-broken.ipynb")}, cell 2: ", output);
        Assert.Contains("chart data missing", output);
        Assert.Contains("notebooks failed", output);
        // The ablation's own results are complete regardless.
        Assert.True(File.Exists(Path.Combine(reproduction.Root, AblationRunner.RunsFileName)));
    }

    [Fact]
    public void AMissingNotebooksFolderGivenExplicitlyIsAnErrorBeforeAnyTraining()
    {
        var missing = Path.Combine(_notebooks.Folder, "no-such-folder");

        var (exit, output) = CliHarness.Run(ReproduceCommand.Create,
            "reproduce", "--profile", "tiny", "--seeds", "1", "--out", reproduction.Root, "--notebooks", missing);

        Assert.NotEqual(0, exit);
        Assert.Contains($"--notebooks {missing}: no such folder", output);
        Assert.DoesNotContain("pre-training", output);
    }

    private TestNotebook WithParameters() => _notebooks.Code("""
        var corpus = "demo";
        var profile = "demo";
        var seeds = 3;
        var runs = "";
        """, "parameters");
}
