namespace SerNotebooks;

/// <summary>Marker type for locating the library assembly.</summary>
public static class SerNotebooksAssembly
{
    public static string Version =>
        typeof(SerNotebooksAssembly).Assembly.GetName().Version?.ToString() ?? "unknown";
}
