using System.Reflection;

namespace SerNotebooks.Pretext;

/// <summary>Finds the <see cref="IPretextTaskPlugin"/>s of user assemblies named by path.</summary>
public static class TaskAssemblies
{
    /// <summary>The separator of several assembly paths in one notebook parameter (a path may contain ',').</summary>
    public const char ParameterSeparator = ';';

    /// <summary>The paths of a <c>taskAssemblies</c> notebook parameter ("a.dll;b.dll"), full paths; empty for "".</summary>
    public static IReadOnlyList<string> Parse(string? parameter) =>
        (parameter ?? "").Split(ParameterSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFullPath)
            .ToArray();

    /// <summary>The paths as one notebook parameter (the inverse of <see cref="Parse"/>).</summary>
    public static string Format(IReadOnlyList<string> paths) => string.Join(ParameterSeparator, paths);

    /// <summary>
    /// One instance of every public, concrete <see cref="IPretextTaskPlugin"/> of the assembly at <paramref name="path"/>,
    /// ordered by type name so that tasks register in the same order in every process.
    /// </summary>
    /// <exception cref="ArgumentException">The file is missing, is not an assembly, or has no plugin.</exception>
    public static IReadOnlyList<IPretextTaskPlugin> PluginsOf(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ArgumentException($"task assembly {fullPath}: no such file");
        }
        Assembly assembly;
        try
        {
            // The default load context: the plugin binds to the SerNotebooks already loaded, so its tasks are IPretextTasks here.
            assembly = Assembly.LoadFrom(fullPath);
        }
        catch (BadImageFormatException e)
        {
            throw new ArgumentException($"task assembly {fullPath}: not a .NET assembly ({e.Message})", e);
        }
        var plugins = ExportedTypes(assembly)
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPretextTaskPlugin).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (IPretextTaskPlugin)Activator.CreateInstance(t)!)
            .ToList();
        return plugins.Count > 0
            ? plugins
            : throw new ArgumentException(
                $"task assembly {fullPath} has no public class implementing {nameof(IPretextTaskPlugin)} with a parameterless constructor");
    }

    private static IEnumerable<Type> ExportedTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            // Types whose own dependencies are missing cannot be plugins we could run; the rest still can.
            return e.Types.OfType<Type>().Where(t => t.IsPublic);
        }
    }
}
