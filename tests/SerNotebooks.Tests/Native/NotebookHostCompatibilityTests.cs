using System.Reflection;
using System.Runtime.Loader;
using SerNotebooks.Native;

namespace SerNotebooks.Tests.Native;

public class NotebookHostCompatibilityTests
{
    [Fact]
    public void AFSharpCoreVersionTheDefaultContextCannotGiveIsAnsweredWithTheCopyItHas()
    {
        NotebookHostCompatibility.Install();
        NotebookHostCompatibility.Install(); // idempotent
        var loaded = typeof(Microsoft.FSharp.Core.Unit).Assembly;
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(loaded));

        // What the stock host's default context is asked when Plotly.NET (built against 10.1) loads beside its 10.0.
        var requested = new AssemblyName("FSharp.Core, Version=99.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a");
        var answered = NotebookHostCompatibility.ShareLoadedFSharpCore(AssemblyLoadContext.Default, requested);

        Assert.Same(loaded, answered);
        Assert.Contains($"99.0.0.0 → {loaded.GetName().Version}", NotebookHostCompatibility.SharedFSharpCoreRequests);
        Assert.Contains("sharing the host's FSharp.Core", NotebookHostCompatibility.Describe());
        Assert.Null(NotebookHostCompatibility.ShareLoadedFSharpCore(AssemblyLoadContext.Default, new AssemblyName("Plotly.NET, Version=99.0.0.0")));
    }

    [Fact]
    public void OtherMissingAssembliesStillFailAsBefore()
    {
        NotebookHostCompatibility.Install();
        Assert.Throws<FileNotFoundException>(() =>
            AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("Not.An.Assembly.Anywhere, Version=1.0.0.0")));
    }

    [Fact]
    public void OpenCvStillLoadsWithTheResolverInstalled()
    {
        NotebookHostCompatibility.Install();
        Assert.True(NotebookHostCompatibility.IsInstalled);
        Assert.NotEmpty(OpenCvRuntime.CandidateLibraries());
        Assert.StartsWith("4.", OpenCvSharp.Cv2.GetVersionString(), StringComparison.Ordinal);
    }
}
