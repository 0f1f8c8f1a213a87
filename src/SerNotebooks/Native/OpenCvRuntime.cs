using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using OpenCvSharp;

namespace SerNotebooks.Native;

/// <summary>A native library could not be loaded because system libraries it needs are missing.</summary>
public sealed class NativeDependencyException(string libraryPath, IReadOnlyList<string> missingLibraries, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The library that failed to load.</summary>
    public string LibraryPath { get; } = libraryPath;

    /// <summary>Shared-object names the loader could not find (e.g. libgtk-3.so.0); empty when unknown.</summary>
    public IReadOnlyList<string> MissingLibraries { get; } = missingLibraries;
}

/// <summary>
/// Checks that OpenCvSharp's native library (libOpenCvSharpExtern.so) loads, and when it does not, says which
/// system library is missing and which Debian/Ubuntu package provides it. OpenCvSharp itself only reports a
/// TypeInitializationException; the usual culprit is the GTK 3 runtime its highgui module links against.
/// </summary>
public static partial class OpenCvRuntime
{
    private const string LibraryFileName = "libOpenCvSharpExtern.so";
    private const string GtkPackage = "libgtk-3-0";
    private static readonly Lock Gate = new();
    private static string? loadedFrom;

    // Shared-object stem (the name before ".so") -> Debian/Ubuntu package. Covers every direct dependency of
    // OpenCvSharp4.official.runtime.linux-x64 4.13 outside libc; all of them come with libgtk-3-0.
    private static readonly Dictionary<string, string> DebianPackages = new(StringComparer.Ordinal)
    {
        ["libgtk-3"] = GtkPackage,
        ["libgdk-3"] = GtkPackage,
        ["libatk-1.0"] = "libatk1.0-0",
        ["libpango-1.0"] = "libpango-1.0-0",
        ["libpangocairo-1.0"] = "libpangocairo-1.0-0",
        ["libcairo"] = "libcairo2",
        ["libcairo-gobject"] = "libcairo-gobject2",
        ["libgdk_pixbuf-2.0"] = "libgdk-pixbuf-2.0-0",
        ["libgio-2.0"] = "libglib2.0-0",
        ["libgobject-2.0"] = "libglib2.0-0",
        ["libglib-2.0"] = "libglib2.0-0",
        ["libfreetype"] = "libfreetype6",
        ["libharfbuzz"] = "libharfbuzz0b",
        ["libdrm"] = "libdrm2",
        ["libatomic"] = "libatomic1",
        ["libX11"] = "libx11-6",
    };

    /// <summary>
    /// Loads libOpenCvSharpExtern.so (idempotent, thread-safe) and returns where it was found.
    /// Throws <see cref="NativeDependencyException"/> naming the missing system libraries and the
    /// <c>apt-get install</c> command when it cannot load.
    /// </summary>
    public static string EnsureLoadable()
    {
        lock (Gate)
        {
            if (loadedFrom is not null)
            {
                return loadedFrom;
            }
            var candidates = CandidateLibraries();
            // The host resolves the name through the app's .deps.json when there is one.
            if (NativeLibrary.TryLoad("OpenCvSharpExtern", typeof(Cv2).Assembly, null, out _))
            {
                return loadedFrom = candidates.FirstOrDefault() ?? LibraryFileName;
            }
            if (candidates.Count == 0)
            {
                throw new NativeDependencyException(LibraryFileName, [],
                    $"{LibraryFileName} was not found next to OpenCvSharp.dll or in runtimes/linux-x64/native. " +
                    "Reference the OpenCvSharp4.official.runtime.linux-x64 package.");
            }
            foreach (var candidate in candidates)
            {
                CheckLoadable(candidate);
            }
            return loadedFrom = candidates[0];
        }
    }

    /// <summary>
    /// Loads the native library at <paramref name="libraryPath"/>; on failure throws
    /// <see cref="NativeDependencyException"/> built from the loader's error and <c>ldd</c>'s report.
    /// </summary>
    public static void CheckLoadable(string libraryPath)
    {
        if (!File.Exists(libraryPath))
        {
            throw new NativeDependencyException(libraryPath, [], $"Native library not found: {libraryPath}");
        }
        try
        {
            NativeLibrary.Load(libraryPath);
        }
        catch (DllNotFoundException error)
        {
            var missing = MissingFromLoaderError(error.Message)
                .Concat(MissingFromLdd(RunLdd(libraryPath) ?? ""))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (missing.Count == 0 && !IsLddAvailable())
            {
                missing.AddRange(ProbeKnownDependencies());
            }
            throw new NativeDependencyException(libraryPath, missing, DescribeFailure(libraryPath, missing, error.Message), error);
        }
    }

    /// <summary>Shared-object names <c>ldd</c> reports as "=> not found", in order of appearance.</summary>
    public static IReadOnlyList<string> MissingFromLdd(string lddOutput) =>
        LddNotFound().Matches(lddOutput).Select(match => match.Groups["name"].Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The shared object a dlopen error names ("libgtk-3.so.0: cannot open shared object file").</summary>
    public static IReadOnlyList<string> MissingFromLoaderError(string loaderError) =>
        LoaderCannotOpen().Matches(loaderError).Select(match => match.Groups["name"].Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The Debian/Ubuntu package providing <paramref name="sharedObject"/>, or null when unknown.</summary>
    public static string? DebianPackageFor(string sharedObject)
    {
        var stem = sharedObject.Split(".so", 2)[0];
        return DebianPackages.GetValueOrDefault(stem);
    }

    /// <summary>The message a user sees: what failed, what is missing, and the command that fixes it.</summary>
    public static string DescribeFailure(string libraryPath, IReadOnlyList<string> missing, string? loaderError)
    {
        var packages = missing.Select(DebianPackageFor).OfType<string>().Prepend(GtkPackage).Distinct().ToList();
        var what = missing.Count == 0
            ? "a system library it depends on could not be loaded"
            : $"missing system librar{(missing.Count == 1 ? "y" : "ies")}: " +
              string.Join(", ", missing.Select(name => DebianPackageFor(name) is { } package ? $"{name} (package {package})" : name));
        return $"OpenCV's native library {libraryPath} cannot be loaded: {what}. " +
               $"On Debian/Ubuntu install the GTK 3 runtime: sudo apt-get install -y {string.Join(' ', packages)} " +
               "(on Ubuntu 24.04 and later the package is named libgtk-3-0t64)." +
               (string.IsNullOrWhiteSpace(loaderError) ? "" : $"{Environment.NewLine}Loader error: {loaderError}");
    }

    /// <summary>Existing libOpenCvSharpExtern.so files where OpenCvSharp can load it from, in probing order.</summary>
    public static IReadOnlyList<string> CandidateLibraries()
    {
        var folders = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
        {
            folders.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }
        var managedFolder = Path.GetDirectoryName(typeof(Cv2).Assembly.Location);
        if (!string.IsNullOrEmpty(managedFolder))
        {
            folders.Add(managedFolder);
            folders.Add(Path.Combine(managedFolder, "runtimes", "linux-x64", "native"));
            // NuGet cache layout: <packages>/opencvsharp4/<version>/lib/<tfm>/OpenCvSharp.dll, natives in a sibling package.
            var versionFolder = Path.GetFullPath(Path.Combine(managedFolder, "..", ".."));
            var packagesFolder = Path.GetDirectoryName(Path.GetDirectoryName(versionFolder));
            if (packagesFolder is not null)
            {
                folders.Add(Path.Combine(packagesFolder, "opencvsharp4.official.runtime.linux-x64",
                    Path.GetFileName(versionFolder), "runtimes", "linux-x64", "native"));
            }
        }
        folders.Add(AppContext.BaseDirectory);
        folders.Add(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"));
        return folders
            .Select(folder => Path.GetFullPath(Path.Combine(folder, LibraryFileName)))
            .Distinct(StringComparer.Ordinal)
            .Where(File.Exists)
            .ToList();
    }

    private static string? RunLdd(string libraryPath)
    {
        try
        {
            var start = new ProcessStartInfo("ldd")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(libraryPath);
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                return null;
            }
            return stdout + stderr.Result;
        }
        catch (Win32Exception)
        {
            return null; // ldd is not installed; fall back to probing.
        }
    }

    private static bool IsLddAvailable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, "ldd")));

    private static IEnumerable<string> ProbeKnownDependencies() =>
        new[] { "libgtk-3.so.0", "libgdk-3.so.0", "libatk-1.0.so.0", "libpango-1.0.so.0", "libcairo.so.2", "libgdk_pixbuf-2.0.so.0", "libglib-2.0.so.0" }
            .Where(name =>
            {
                var loaded = NativeLibrary.TryLoad(name, out var handle);
                if (loaded)
                {
                    NativeLibrary.Free(handle);
                }
                return !loaded;
            });

    [GeneratedRegex(@"^\s*(?<name>\S+)\s+=>\s+not found", RegexOptions.Multiline)]
    private static partial Regex LddNotFound();

    [GeneratedRegex(@"(?<name>[\w.+-]+\.so[\w.]*): cannot open shared object file")]
    private static partial Regex LoaderCannotOpen();
}
