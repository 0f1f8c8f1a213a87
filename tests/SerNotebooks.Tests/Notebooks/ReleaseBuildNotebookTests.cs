using SerNotebooks.Cli.Notebooks;

namespace SerNotebooks.Tests.Notebooks;

/// <summary>
/// A copy of the repository's sources (no build output, no tests) built only with <c>dotnet build -c Release</c>,
/// as a user who never built Debug has it: <c>artifacts/notebooks</c> points at the Release library, and the
/// Release <c>sernb</c> runs <c>reproduce</c> (its notebook step included) and
/// <c>notebooks run notebooks/ --param profile=tiny</c> with every notebook passing.
/// </summary>
public sealed class ReleaseBuildCopy : IAsyncLifetime
{
    private static readonly string[] RootFiles = ["SerNotebooks.sln", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json"];
    private static readonly string[] Folders = ["src", "notebooks", "data-manifests", "experiments"];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "sernb-release-build-" + Guid.NewGuid().ToString("N"));

    public string Repository => Path.Combine(Root, "SerNotebooks");

    public DotnetCommand.Result Build { get; private set; } = new(-1, "");

    public string Cli => Path.Combine(Repository, "src", "SerNotebooks.Cli", "bin", "Release", "net10.0", "sernb.dll");

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        [SerNotebooksPaths.DataVariable] = Path.Combine(Root, "data"),
        [SerNotebooksPaths.CacheVariable] = Path.Combine(Root, "cache"),
        [SerNotebooksPaths.ReportsVariable] = Path.Combine(Root, "reports"),
    };

    public async Task InitializeAsync()
    {
        var source = SerNotebooksPaths.FindRepositoryRoot(AppContext.BaseDirectory);
        foreach (var file in RootFiles)
        {
            Directory.CreateDirectory(Repository);
            File.Copy(Path.Combine(source, file), Path.Combine(Repository, file));
        }
        foreach (var folder in Folders)
        {
            CopySources(Path.Combine(source, folder), Path.Combine(Repository, folder));
        }
        Build = await DotnetCommand.RunAsync(Repository, ["build", "-c", "Release", Path.Combine("src", "SerNotebooks.Cli")], TimeSpan.FromMinutes(15));
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

    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var folder in Directory.GetDirectories(from))
        {
            // Build output, caches and earlier results are not sources: leaving them out makes this a Release-only tree.
            if (Path.GetFileName(folder) is not ("bin" or "obj" or ".cache" or "reports" or "artifacts"))
            {
                CopySources(folder, Path.Combine(to, Path.GetFileName(folder)));
            }
        }
    }
}

[Collection(NotebookCollection.Name)]
public sealed class ReleaseBuildNotebookTests(ReleaseBuildCopy copy) : IClassFixture<ReleaseBuildCopy>
{
    [Fact]
    public async Task AfterAReleaseBuildOnlyReproduceAndNotebooksRunPassWithTheTinyProfile()
    {
        Assert.True(copy.Build.ExitCode == 0, copy.Build.Output);
        var link = new DirectoryInfo(Path.Combine(copy.Repository, "artifacts", "notebooks"));
        Assert.Equal(Path.Combine("..", "src", "SerNotebooks", "bin", "Release", "net10.0"), link.LinkTarget);
        Assert.True(File.Exists(Path.Combine(link.FullName, "SerNotebooks.dll")));
        Assert.False(Directory.Exists(Path.Combine(copy.Repository, "src", "SerNotebooks", "bin", "Debug")), "the copy must hold no Debug build");

        var runs = Path.Combine(copy.Root, "runs");
        var reproduce = await DotnetCommand.RunAsync(copy.Repository,
            [copy.Cli, "reproduce", "--profile", "tiny", "--seeds", "1", "--out", runs], TimeSpan.FromMinutes(20), copy.Environment);
        Assert.True(reproduce.ExitCode == 0, reproduce.Output);
        Assert.True(File.Exists(Path.Combine(runs, "report", HtmlReport.IndexFileName)), reproduce.Output);

        var output = Path.Combine(copy.Root, "notebooks-out");
        var notebooks = await DotnetCommand.RunAsync(copy.Repository,
            [copy.Cli, "notebooks", "run", "notebooks/", "--param", "profile=tiny", "--param", "seeds=1", "--param", $"runs={runs}", "--out", output],
            TimeSpan.FromMinutes(20), copy.Environment);
        Assert.True(notebooks.ExitCode == 0, notebooks.Output);
        foreach (var notebook in Directory.GetFiles(Path.Combine(copy.Repository, "notebooks"), "*.ipynb"))
        {
            var executed = ExecutedNotebook.Load(Path.Combine(output, Path.GetFileName(notebook)));
            Assert.True(executed.Succeeded, executed.Failure?.Describe(notebook));
        }
    }
}
