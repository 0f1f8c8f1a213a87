using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace SerNotebooks.Native;

/// <summary>How the TorchSharp compatibility fix stands in this process.</summary>
public enum TorchFixState
{
    /// <summary>Not Linux x64: the fix does not apply.</summary>
    NotApplicable,
    /// <summary>The system libstdc++ defines the version; no file was touched.</summary>
    NotNeeded,
    /// <summary>At least one libLibTorchSharp.so was patched by this process.</summary>
    Applied,
    /// <summary>Every libLibTorchSharp.so TorchSharp can load was already patched (by the build or earlier run).</summary>
    AlreadyApplied,
    /// <summary>The libLibTorchSharp.so files present do not require the version (a future TorchSharp).</summary>
    NotRequired,
    /// <summary>No libLibTorchSharp.so was found where TorchSharp looks.</summary>
    LibraryNotFound,
    /// <summary>A file that needed the fix could not be patched (see <see cref="TorchRuntimeStatus.Problems"/>).</summary>
    Failed,
}

/// <summary>The outcome of <see cref="TorchRuntime.ApplyCompatibilityFix()"/>.</summary>
public sealed record TorchRuntimeStatus(
    TorchFixState FixState,
    string? LibStdCxxPath,
    IReadOnlyList<ElfPatchResult> Files,
    IReadOnlyList<string> Problems)
{
    /// <summary>One human-readable paragraph naming the state and the files involved.</summary>
    public string Describe()
    {
        var version = ElfVersionRequirementPatcher.TorchSharpVersionRequirement;
        var headline = FixState switch
        {
            TorchFixState.NotApplicable => "not applicable on this platform",
            TorchFixState.NotNeeded => $"not needed: {LibStdCxxPath} defines {version}",
            TorchFixState.Applied => $"applied now ({LibStdCxxPath ?? "libstdc++.so.6"} lacks {version})",
            TorchFixState.AlreadyApplied => $"active ({LibStdCxxPath ?? "libstdc++.so.6"} lacks {version}; library already patched)",
            TorchFixState.NotRequired => $"not required: libLibTorchSharp.so does not ask for {version}",
            TorchFixState.LibraryNotFound => "libLibTorchSharp.so not found next to TorchSharp.dll",
            _ => "FAILED",
        };
        var lines = new List<string> { headline };
        lines.AddRange(Files.Select(file => file.Describe()));
        lines.AddRange(Problems);
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>Thrown when TorchSharp's native backend cannot be loaded even after the compatibility fix.</summary>
public sealed class TorchRuntimeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Makes TorchSharp-cpu load on systems whose libstdc++ predates GCC 13 (Debian 12, Ubuntu 22.04).
/// <para>
/// The build already patches every build and publish output (Directory.Build.targets). This class covers the
/// copies a build never sees: a notebook that takes TorchSharp from the NuGet cache (<c>#r "nuget:"</c>), or a
/// library copied elsewhere. Every libLibTorchSharp.so TorchSharp may load in this process is patched before
/// the first torch call: the module initializer below runs the file fix as soon as any SerNotebooks code runs,
/// so every library code path that uses torch is covered without having to remember a call; code outside the
/// library (a notebook using TorchSharp directly) calls <see cref="EnsureLoadable"/> first, as does the doctor.
/// </para>
/// </summary>
public static class TorchRuntime
{
    private const string LibraryFileName = "libLibTorchSharp.so";
    private static readonly Lock Gate = new();
    private static TorchRuntimeStatus? fixStatus;
    private static bool backendLoaded;

    // Runs when the SerNotebooks assembly is first used, before any of its code can touch torch. It only
    // edits files (no libtorch load) and never throws: a failure is recorded and reported by EnsureLoadable
    // and the doctor instead of breaking every type in the library.
#pragma warning disable CA2255 // Deliberate: the fix must precede any torch use from library code.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ApplyFixOnLibraryLoad()
    {
        ApplyCompatibilityFix();
        // Before libtorch allocates anything: see NativeAllocator for why and what it changes.
        NativeAllocator.Tune();
    }

    /// <summary>
    /// Patches every libLibTorchSharp.so TorchSharp may load, unless the system libstdc++ already defines
    /// GLIBCXX_3.4.32. Idempotent and thread-safe; the first result is cached. Never throws.
    /// </summary>
    public static TorchRuntimeStatus ApplyCompatibilityFix()
    {
        lock (Gate)
        {
            return fixStatus ??= ComputeFix();
        }
    }

    /// <summary>
    /// Applies the compatibility fix, then initialises TorchSharp's CPU backend. Call before the first torch
    /// use from code outside this library. Throws <see cref="TorchRuntimeException"/> naming the files and the
    /// fix state when libtorch still cannot load.
    /// </summary>
    public static TorchRuntimeStatus EnsureLoadable()
    {
        lock (Gate)
        {
            var status = fixStatus ??= ComputeFix();
            if (backendLoaded)
            {
                return status;
            }
            PreloadFromSelfContainedFolder(status);
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception error) when (error is TypeInitializationException or DllNotFoundException or NotSupportedException or EntryPointNotFoundException)
            {
                throw new TorchRuntimeException(
                    "TorchSharp's native backend (libLibTorchSharp.so / libtorch) could not be loaded. " +
                    $"Compatibility fix: {status.Describe()}{Environment.NewLine}TorchSharp said: {Innermost(error).Message}",
                    error);
            }
            backendLoaded = true;
            return status;
        }
    }

    /// <summary>
    /// Every existing libLibTorchSharp.so TorchSharp may load in this process, in the order the runtime
    /// probes: the host's native search folders (from the app's .deps.json), then the folder of
    /// TorchSharp.dll and its runtimes/linux-x64/native, TorchSharp's own consolidation folder for
    /// .NET Interactive (cpu/), and the package's runtimes folder when TorchSharp.dll came from the NuGet cache.
    /// </summary>
    public static IReadOnlyList<string> CandidateLibraries()
    {
        var searchFolders = AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories
            ? searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            : [];
        return CandidateLibraries(Path.GetDirectoryName(typeof(torch).Assembly.Location), searchFolders, AppContext.BaseDirectory);
    }

    /// <summary>
    /// The existing libLibTorchSharp.so files TorchSharp.dll in <paramref name="torchSharpFolder"/> may load,
    /// given the host's native search folders and the application's base folder.
    /// </summary>
    public static IReadOnlyList<string> CandidateLibraries(string? torchSharpFolder, IEnumerable<string> nativeSearchFolders, string baseDirectory)
    {
        var folders = new List<string>(nativeSearchFolders);
        if (!string.IsNullOrEmpty(torchSharpFolder))
        {
            folders.Add(torchSharpFolder);
            folders.Add(Path.Combine(torchSharpFolder, "runtimes", "linux-x64", "native"));
            folders.Add(Path.Combine(torchSharpFolder, "cpu"));
            // NuGet cache layout: <packages>/torchsharp/<version>/lib/<tfm>/TorchSharp.dll
            if (string.Equals(Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(torchSharpFolder))), "lib", StringComparison.Ordinal))
            {
                folders.Add(Path.Combine(torchSharpFolder, "..", "..", "runtimes", "linux-x64", "native"));
            }
        }
        folders.Add(baseDirectory);
        folders.Add(Path.Combine(baseDirectory, "runtimes", "linux-x64", "native"));

        return folders
            .Select(folder => Path.GetFullPath(Path.Combine(folder, LibraryFileName)))
            .Distinct(StringComparer.Ordinal)
            .Where(File.Exists)
            .ToList();
    }

    /// <summary>
    /// Applies the fix to the given libLibTorchSharp.so files (uncached; the parameterless overload covers
    /// the files this process loads). Files are left untouched when the system libstdc++ defines the version.
    /// </summary>
    public static TorchRuntimeStatus ApplyCompatibilityFix(IEnumerable<string> libraries)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return new TorchRuntimeStatus(TorchFixState.NotApplicable, null, [], []);
        }
        var version = ElfVersionRequirementPatcher.TorchSharpVersionRequirement;
        string? libStdCxx = null;
        var problems = new List<string>();
        try
        {
            libStdCxx = SystemLibStdCxx.Locate();
            if (libStdCxx is not null && ElfVersionRequirementPatcher.DefinesVersion(libStdCxx, version))
            {
                return new TorchRuntimeStatus(TorchFixState.NotNeeded, libStdCxx, [], []);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            problems.Add($"Could not read {libStdCxx ?? "libstdc++.so.6"}: {error.Message}");
        }

        var results = new List<ElfPatchResult>();
        foreach (var library in libraries)
        {
            try
            {
                results.Add(ElfVersionRequirementPatcher.MakeWeak(library, version));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                problems.Add($"Could not patch {library}: {error.Message}");
            }
        }

        var state =
            problems.Count > 0 ? TorchFixState.Failed :
            results.Count == 0 ? TorchFixState.LibraryNotFound :
            results.Any(r => r.Outcome == ElfPatchOutcome.Patched) ? TorchFixState.Applied :
            results.Any(r => r.Outcome == ElfPatchOutcome.AlreadyWeak) ? TorchFixState.AlreadyApplied :
            TorchFixState.NotRequired;
        return new TorchRuntimeStatus(state, libStdCxx, results, problems);
    }

    private static TorchRuntimeStatus ComputeFix()
    {
        try
        {
            return ApplyCompatibilityFix(CandidateLibraries());
        }
        catch (Exception error)
        {
            // E.g. TorchSharp.dll itself missing; reported, never thrown, so the module initializer stays safe.
            return new TorchRuntimeStatus(TorchFixState.Failed, null, [], [$"{error.GetType().Name}: {error.Message}"]);
        }
    }

    // When the library was loaded without a .deps.json that tells the host where native assets live (a
    // notebook referencing SerNotebooks.dll by path), TorchSharp only probes TorchSharp.dll's own folder and
    // misses runtimes/linux-x64/native. Loading the patched copy by full path first lets TorchSharp's later
    // load by name bind to it (glibc matches the SONAME of loaded objects). Only done where libtorch sits in
    // the same folder, so its dependencies resolve through $ORIGIN and never against a system libtorch.
    private static void PreloadFromSelfContainedFolder(TorchRuntimeStatus status)
    {
        if (status.FixState == TorchFixState.NotApplicable)
        {
            return;
        }
        var selfContained = CandidateLibraries().FirstOrDefault(library =>
            File.Exists(Path.Combine(Path.GetDirectoryName(library)!, "libtorch_cpu.so")));
        if (selfContained is not null)
        {
            NativeLibrary.TryLoad(selfContained, out _);
        }
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null)
        {
            error = error.InnerException;
        }
        return error;
    }

    /// <summary>TorchSharp's own version (the managed package), e.g. 0.107.0.</summary>
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";
}
