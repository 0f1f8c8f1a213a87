namespace SerNotebooks;

/// <summary>
/// Where the project keeps generated data, the feature cache and rendered reports.
/// Each folder can be moved with an environment variable so a user can keep corpora on another disk.
/// </summary>
public sealed record SerNotebooksPaths(string RepositoryRoot, string DataDirectory, string CacheDirectory, string ReportsDirectory)
{
    public const string DataVariable = "SERNB_DATA";
    public const string CacheVariable = "SERNB_CACHE";
    public const string ReportsVariable = "SERNB_REPORTS";

    /// <summary>Resolves folders from environment variables, falling back to folders under the repository root.</summary>
    public static SerNotebooksPaths Resolve(string? startDirectory = null)
    {
        var root = FindRepositoryRoot(startDirectory ?? Directory.GetCurrentDirectory());
        return new SerNotebooksPaths(
            root,
            FromEnvironment(DataVariable) ?? Path.Combine(root, ".cache", "data"),
            FromEnvironment(CacheVariable) ?? Path.Combine(root, ".cache", "features"),
            FromEnvironment(ReportsVariable) ?? Path.Combine(root, "reports"));
    }

    /// <summary>The nearest ancestor holding SerNotebooks.sln; the start directory when there is none.</summary>
    public static string FindRepositoryRoot(string startDirectory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SerNotebooks.sln")))
            {
                return dir.FullName;
            }
        }
        return Path.GetFullPath(startDirectory);
    }

    private static string? FromEnvironment(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : Path.GetFullPath(value);
    }
}
