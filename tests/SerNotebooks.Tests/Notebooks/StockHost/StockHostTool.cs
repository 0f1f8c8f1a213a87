namespace SerNotebooks.Tests.Notebooks.StockHost;

/// <summary>
/// The stock host as a .NET local tool: <c>.config/dotnet-tools.json</c> pins <c>Microsoft.dotnet-interactive</c>
/// (the version VS Code's Polyglot Notebooks uses; the only one served), and <c>dotnet tool restore</c> installs it
/// from NuGet into the NuGet cache (a no-op once there). <c>.ci/run</c> restores it too, before the tests.
/// </summary>
public static class StockHostTool
{
    public const string CommandName = "dotnet-interactive";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool restored;

    /// <summary>Restores the repository's local tools once per test process; throws with the command's output when it fails.</summary>
    public static async Task RestoreAsync(string repository)
    {
        await Gate.WaitAsync();
        try
        {
            if (restored)
            {
                return;
            }
            var restore = await DotnetCommand.RunAsync(repository, ["tool", "restore"], TimeSpan.FromMinutes(10));
            if (restore.ExitCode != 0)
            {
                throw new InvalidOperationException($"'dotnet tool restore' in {repository} failed ({restore.ExitCode}):\n{restore.Output}");
            }
            restored = true;
        }
        finally
        {
            Gate.Release();
        }
    }
}
