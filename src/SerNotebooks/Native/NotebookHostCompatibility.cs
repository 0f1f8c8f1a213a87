using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using OpenCvSharp;

namespace SerNotebooks.Native;

/// <summary>
/// Makes the library work inside VS Code's stock .NET Interactive host (Polyglot Notebooks), where it is loaded
/// with <c>#r</c> into a load context of its own. Two things go wrong there, both fixed by <see cref="Install"/>:
/// <list type="number">
/// <item><b>Two FSharp.Core copies.</b> The host ships FSharp.Core 10.0 in its default context; Plotly.NET 6,
/// DynamicObj 8 and Deedle 8 ask for 10.1, which the default context cannot give, so the build output's 10.1
/// would load as a second copy while Giraffe.ViewEngine binds to the host's 10.0. F# function types of the two
/// copies are different types, and Plotly.NET's type initialisers fail (<c>MissingMethodException:
/// Giraffe.ViewEngine.Attributes.get__id()</c>). A <see cref="AssemblyLoadContext.Resolving"/> handler on the
/// default context answers every FSharp.Core request it cannot satisfy with the copy it already has: 10.1
/// adds nothing these libraries use over 10.0. In the project's own processes the default context already
/// holds 10.1, so the handler never fires.</item>
/// <item><b>Native OpenCV.</b> The host does not probe <c>runtimes/linux-x64/native</c> beside an assembly
/// referenced with <c>#r</c>, so <c>libOpenCvSharpExtern.so</c> is not found. A DllImport resolver for
/// OpenCvSharp tries the default probing first and then <see cref="OpenCvRuntime.CandidateLibraries"/>.</item>
/// </list>
/// Call it before any Plotly.NET or Deedle type is touched, from a method that does not mention them itself: the
/// JIT loads the types a method uses when it compiles the method (<c>NotebookSetup.Initialize</c> does this).
/// </summary>
public static class NotebookHostCompatibility
{
    private const string FSharpCoreName = "FSharp.Core";
    private const string OpenCvLibraryName = "OpenCvSharpExtern";
    private static readonly Lock Gate = new();
    private static readonly List<string> sharedRequests = [];
    private static bool installed;

    /// <summary>Installs both fixes; idempotent and thread-safe.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (installed)
            {
                return;
            }
            AssemblyLoadContext.Default.Resolving += ShareLoadedFSharpCore;
            TrySetOpenCvResolver();
            installed = true;
        }
    }

    /// <summary>Whether <see cref="Install"/> has run in this process.</summary>
    public static bool IsInstalled
    {
        get
        {
            lock (Gate)
            {
                return installed;
            }
        }
    }

    /// <summary>
    /// The FSharp.Core versions that were asked for and answered with the copy already loaded (empty in the
    /// project's own runner and CLI; in the stock host, e.g. "10.1.0.0 → 10.0.0.0").
    /// </summary>
    public static IReadOnlyList<string> SharedFSharpCoreRequests
    {
        get
        {
            lock (Gate)
            {
                return [.. sharedRequests];
            }
        }
    }

    /// <summary>One line for <c>sernb doctor</c> and notebook 00: which FSharp.Core the charts use and why.</summary>
    public static string Describe()
    {
        var loaded = LoadedFSharpCore();
        var loadedText = loaded is null
            ? "FSharp.Core not loaded yet"
            : $"FSharp.Core {loaded.GetName().Version} in the default load context ({AssemblyLoadContext.GetLoadContext(loaded)?.Name ?? "?"})";
        var shared = SharedFSharpCoreRequests;
        var sharing = shared.Count == 0
            ? "no request needed sharing (the host's own FSharp.Core satisfies every library)"
            : $"sharing the host's FSharp.Core with libraries that ask for another version ({string.Join(", ", shared.Distinct())}): the stock .NET Interactive host";
        return $"{(IsInstalled ? "installed" : "not installed")}; {loadedText}; {sharing}";
    }

    /// <summary>
    /// The <see cref="AssemblyLoadContext.Resolving"/> handler <see cref="Install"/> adds to the default context:
    /// an FSharp.Core request the context could not satisfy gets the FSharp.Core it already has (and is recorded
    /// in <see cref="SharedFSharpCoreRequests"/>); any other request gets null, so resolution goes on as before.
    /// </summary>
    public static Assembly? ShareLoadedFSharpCore(AssemblyLoadContext context, AssemblyName requested)
    {
        if (!string.Equals(requested.Name, FSharpCoreName, StringComparison.Ordinal))
        {
            return null;
        }
        var loaded = LoadedFSharpCore();
        if (loaded is not null)
        {
            lock (Gate)
            {
                sharedRequests.Add($"{requested.Version} → {loaded.GetName().Version}");
            }
        }
        return loaded;
    }

    private static Assembly? LoadedFSharpCore() =>
        AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, FSharpCoreName, StringComparison.Ordinal));

    private static void TrySetOpenCvResolver()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Cv2).Assembly, ResolveOpenCv);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set for OpenCvSharp (by the host or an earlier copy of this library): keep it.
        }
    }

    private static IntPtr ResolveOpenCv(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!libraryName.Contains(OpenCvLibraryName, StringComparison.Ordinal))
        {
            return IntPtr.Zero;
        }
        // Known locations first (beside OpenCvSharp.dll, its runtimes/ folder, the NuGet cache); zero lets the
        // runtime's own probing run, which then reports what it tried.
        foreach (var candidate in OpenCvRuntime.CandidateLibraries())
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }
        return IntPtr.Zero;
    }
}
