namespace SerNotebooks.Ablation.Execution;

/// <summary>Where a program is on a PATH-style list of folders.</summary>
public static class ExecutableSearch
{
    /// <summary>The first executable file named <paramref name="program"/> in <paramref name="pathVariable"/>'s folders, or null.</summary>
    public static string? Find(string program, string? pathVariable)
    {
        foreach (var folder in (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return Path.GetFullPath(candidate);
            }
        }
        return null;
    }
}
