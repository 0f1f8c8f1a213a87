using System.Diagnostics;
using SerNotebooks.Native;

namespace SerNotebooks.Tests.Native;

public class ElfVersionRequirementPatcherTests
{
    private const string Version = ElfVersionRequirementPatcher.TorchSharpVersionRequirement;

    /// <summary>The real library as NuGet extracted it (falls back to the build output's copy).</summary>
    private static string RealLibTorchSharp()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages))
        {
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }
        var fromCache = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var fromOutput = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        return File.Exists(fromCache) ? fromCache : fromOutput;
    }

    /// <summary>A temp copy whose GLIBCXX_3.4.32 requirement is strict, as TorchSharp ships it.</summary>
    private static string StrictCopy(TempDirectory temp)
    {
        var copy = temp.File("libLibTorchSharp.so");
        File.Copy(RealLibTorchSharp(), copy);
        var found = ElfVersionRequirementPatcher.Inspect(copy, Version);
        if (found.Outcome == ElfPatchOutcome.AlreadyWeak)
        {
            // The source was patched by an earlier run; undo that one bit on the copy.
            using var stream = new FileStream(copy, FileMode.Open, FileAccess.Write);
            stream.Position = found.FlagsOffset;
            stream.WriteByte((byte)(found.FlagsBefore & ~ElfVersionRequirementPatcher.WeakFlag));
        }
        Assert.Equal(ElfPatchOutcome.Strict, ElfVersionRequirementPatcher.Inspect(copy, Version).Outcome);
        return copy;
    }

    [Fact]
    public void MakeWeakChangesExactlyTheWeakBitOfTheRequirement()
    {
        using var temp = new TempDirectory();
        var copy = StrictCopy(temp);
        var before = File.ReadAllBytes(copy);
        var timestamp = File.GetLastWriteTimeUtc(copy);

        var result = ElfVersionRequirementPatcher.MakeWeak(copy, Version);

        Assert.Equal(ElfPatchOutcome.Patched, result.Outcome);
        Assert.Equal("libstdc++.so.6", result.RequiredFrom);
        var after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        var offset = Assert.Single(changed);
        Assert.Equal(result.FlagsOffset, offset);
        Assert.Equal(ElfVersionRequirementPatcher.WeakFlag, before[offset] ^ after[offset]);
        Assert.Equal(ElfVersionRequirementPatcher.WeakFlag, result.FlagsAfter & ~result.FlagsBefore);
        // Same size and timestamp: MSBuild's incremental copy will not put the unpatched file back.
        Assert.Equal(timestamp, File.GetLastWriteTimeUtc(copy));
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionRequirementPatcher.Inspect(copy, Version).Outcome);
    }

    [Fact]
    public void SecondPatchIsANoOp()
    {
        using var temp = new TempDirectory();
        var copy = StrictCopy(temp);
        ElfVersionRequirementPatcher.MakeWeak(copy, Version);
        var patched = File.ReadAllBytes(copy);

        var again = ElfVersionRequirementPatcher.MakeWeak(copy, Version);

        Assert.Equal(ElfPatchOutcome.AlreadyWeak, again.Outcome);
        Assert.Equal(patched, File.ReadAllBytes(copy));
    }

    [Fact]
    public void DynamicLoaderAcceptsThePatchedLibrary()
    {
        using var temp = new TempDirectory();
        var copy = StrictCopy(temp);
        // Its libtorch dependencies sit beside it, as in a build output, so they resolve through $ORIGIN.
        var natives = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        foreach (var dependency in Directory.GetFiles(natives, "*.so*").Where(file => !file.EndsWith("libLibTorchSharp.so", StringComparison.Ordinal)))
        {
            File.CreateSymbolicLink(temp.File(Path.GetFileName(dependency)), dependency);
        }
        var libStdCxx = SystemLibStdCxx.Locate();
        Assert.NotNull(libStdCxx);
        var systemHasVersion = ElfVersionRequirementPatcher.DefinesVersion(libStdCxx, Version);
        var strictError = $"version `{Version}' not found";

        // ldd runs the real loader in trace mode: it reports unmet strict version requirements as errors
        // and unmet weak ones only as "weak version ... not found".
        var beforeOutput = Ldd(copy);
        ElfVersionRequirementPatcher.MakeWeak(copy, Version);
        var afterOutput = Ldd(copy);

        Assert.Equal(!systemHasVersion, beforeOutput.Contains(": " + strictError, StringComparison.Ordinal));
        Assert.DoesNotContain(": " + strictError, afterOutput, StringComparison.Ordinal);
        Assert.Contains("libtorch_cpu.so => " + temp.File("libtorch_cpu.so"), afterOutput);
    }

    [Fact]
    public void SystemLibStdCxxVersionDefinitionsAreRead()
    {
        var libStdCxx = SystemLibStdCxx.Locate();
        Assert.NotNull(libStdCxx);
        var versions = ElfVersionRequirementPatcher.DefinedVersions(libStdCxx);
        Assert.Contains("GLIBCXX_3.4", versions);
        Assert.Contains("CXXABI_1.3", versions);
        Assert.DoesNotContain("GLIBCXX_99.0", versions);
        Assert.All(versions, name => Assert.Matches(@"^(GLIBCXX|CXXABI|libstdc\+\+\.so\.6$)", name));
    }

    [Fact]
    public void LibraryWithoutTheRequirementIsLeftUntouched()
    {
        using var temp = new TempDirectory();
        var copy = temp.File("libstdc++.so.6");
        File.Copy(SystemLibStdCxx.Locate()!, copy);
        var before = File.ReadAllBytes(copy);

        var result = ElfVersionRequirementPatcher.MakeWeak(copy, Version);

        Assert.Equal(ElfPatchOutcome.NotRequired, result.Outcome);
        Assert.Equal(before, File.ReadAllBytes(copy));
    }

    [Fact]
    public void NonElfFileIsReportedAndUntouched()
    {
        using var temp = new TempDirectory();
        var text = temp.File("libLibTorchSharp.so");
        File.WriteAllText(text, "not a shared object, just text that is long enough");

        Assert.Equal(ElfPatchOutcome.NotElf, ElfVersionRequirementPatcher.MakeWeak(text, Version).Outcome);
        Assert.Equal("not a shared object, just text that is long enough", File.ReadAllText(text));
    }

    [Fact]
    public void TruncatedElfFileIsRejectedNamingTheFile()
    {
        using var temp = new TempDirectory();
        var truncated = temp.File("truncated.so");
        File.WriteAllBytes(truncated, File.ReadAllBytes(RealLibTorchSharp()).AsSpan(0, 4096).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionRequirementPatcher.MakeWeak(truncated, Version));
        Assert.Contains(truncated, error.Message);
        Assert.Contains("section header table", error.Message);
    }

    private static string Ldd(string path)
    {
        var start = new ProcessStartInfo("ldd") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return stdout + stderr.Result;
    }
}
