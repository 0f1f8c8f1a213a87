using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace SerNotebooks.Cli.Notebooks;

/// <summary>Builds the kernel a notebook runs in: C# only, with <c>#r "nuget:"</c> support.</summary>
public static class NotebookKernelFactory
{
    public const string CSharpKernelName = "csharp";

    /// <summary>The kernels the runner offers; notebooks naming any other kernel are rejected up front.</summary>
    public static KernelInfoCollection KernelInfos()
    {
        var infos = new KernelInfoCollection
        {
            new Microsoft.DotNet.Interactive.Documents.KernelInfo(CSharpKernelName, languageName: "C#", aliases: ["c#", "C#", "cs"]),
        };
        infos.DefaultKernelName = CSharpKernelName;
        return infos;
    }

    public static CompositeKernel Create()
    {
        var csharp = new CSharpKernel()
            .UseKernelHelpers()
            .UseValueSharing();
        csharp.UseNugetDirective((kernel, packages) =>
        {
            kernel.AddAssemblyReferences(packages.SelectMany(package => package.AssemblyPaths));
            return Task.CompletedTask;
        });

        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        return composite;
    }
}
