using SerNotebooks.Native;

namespace SerNotebooks.Tests.Native;

public class TorchRuntimeTests
{
    private const string Version = ElfVersionRequirementPatcher.TorchSharpVersionRequirement;

    [Fact]
    public void NuGetCacheCopiesAreFoundAndPatched()
    {
        // The layout a notebook sees after #r "nuget: TorchSharp-cpu": TorchSharp.dll in lib/<tfm>, the native
        // shim in the package's runtimes folder, and TorchSharp's own consolidation folder lib/<tfm>/cpu.
        using var temp = new TempDirectory();
        var package = Path.Combine(temp.Path, "packages", "torchsharp", "0.107.0");
        var managed = Directory.CreateDirectory(Path.Combine(package, "lib", "net8.0")).FullName;
        var runtimes = Directory.CreateDirectory(Path.Combine(package, "runtimes", "linux-x64", "native")).FullName;
        var consolidated = Directory.CreateDirectory(Path.Combine(managed, "cpu")).FullName;
        var strict = StrictLibrary(temp);
        foreach (var folder in new[] { runtimes, consolidated })
        {
            File.Copy(strict, Path.Combine(folder, "libLibTorchSharp.so"));
        }
        var elsewhere = Directory.CreateDirectory(Path.Combine(temp.Path, "app")).FullName;

        var candidates = TorchRuntime.CandidateLibraries(managed, [], elsewhere);

        Assert.Equal(
            [Path.Combine(consolidated, "libLibTorchSharp.so"), Path.Combine(runtimes, "libLibTorchSharp.so")],
            candidates);

        var status = TorchRuntime.ApplyCompatibilityFix(candidates);
        var systemHasVersion = ElfVersionRequirementPatcher.DefinesVersion(SystemLibStdCxx.Locate()!, Version);
        var expected = systemHasVersion ? ElfPatchOutcome.Strict : ElfPatchOutcome.AlreadyWeak;
        Assert.Equal(systemHasVersion ? TorchFixState.NotNeeded : TorchFixState.Applied, status.FixState);
        Assert.All(candidates, library => Assert.Equal(expected, ElfVersionRequirementPatcher.Inspect(library, Version).Outcome));

        var again = TorchRuntime.ApplyCompatibilityFix(candidates);
        Assert.Equal(systemHasVersion ? TorchFixState.NotNeeded : TorchFixState.AlreadyApplied, again.FixState);
    }

    [Fact]
    public void HostSearchFoldersComeFirst()
    {
        using var temp = new TempDirectory();
        var hostFolder = Directory.CreateDirectory(Path.Combine(temp.Path, "host")).FullName;
        var torchFolder = Directory.CreateDirectory(Path.Combine(temp.Path, "bin")).FullName;
        var nested = Directory.CreateDirectory(Path.Combine(torchFolder, "runtimes", "linux-x64", "native")).FullName;
        File.WriteAllText(Path.Combine(hostFolder, "libLibTorchSharp.so"), "");
        File.WriteAllText(Path.Combine(nested, "libLibTorchSharp.so"), "");

        var candidates = TorchRuntime.CandidateLibraries(torchFolder, [hostFolder], torchFolder);

        Assert.Equal([Path.Combine(hostFolder, "libLibTorchSharp.so"), Path.Combine(nested, "libLibTorchSharp.so")], candidates);
    }

    [Fact]
    public void ProcessWideFixCoversTheLibraryThisProcessLoads()
    {
        var status = TorchRuntime.EnsureLoadable();

        Assert.Same(status, TorchRuntime.ApplyCompatibilityFix());
        var loaded = TorchRuntime.CandidateLibraries();
        Assert.NotEmpty(loaded);
        var systemHasVersion = ElfVersionRequirementPatcher.DefinesVersion(SystemLibStdCxx.Locate()!, Version);
        Assert.All(loaded, library => Assert.Equal(
            systemHasVersion ? ElfPatchOutcome.Strict : ElfPatchOutcome.AlreadyWeak,
            ElfVersionRequirementPatcher.Inspect(library, Version).Outcome));
    }

    private static string StrictLibrary(TempDirectory temp)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var copy = temp.File("strict-libLibTorchSharp.so");
        File.Copy(source, copy);
        var found = ElfVersionRequirementPatcher.Inspect(copy, Version);
        if (found.Outcome == ElfPatchOutcome.AlreadyWeak)
        {
            using var stream = new FileStream(copy, FileMode.Open, FileAccess.Write);
            stream.Position = found.FlagsOffset;
            stream.WriteByte((byte)(found.FlagsBefore & ~ElfVersionRequirementPatcher.WeakFlag));
        }
        return copy;
    }
}
