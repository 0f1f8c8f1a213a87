using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using OpenCvSharp;
using SerNotebooks.Native;
using TorchSharp;

namespace SerNotebooks.Diagnostics;

/// <summary>How one doctor check went.</summary>
public enum DoctorStatus
{
    Ok,
    Warning,
    Failed,
}

/// <summary>One line of the doctor's report. A failed <paramref name="Required"/> check makes the report unhealthy.</summary>
public sealed record DoctorCheck(string Name, DoctorStatus Status, string Detail, bool Required);

/// <summary>The doctor's findings.</summary>
public sealed record DoctorReport(IReadOnlyList<DoctorCheck> Checks)
{
    /// <summary>True when no required check failed (warnings and optional failures are tolerated).</summary>
    public bool IsHealthy => Checks.All(check => check.Status != DoctorStatus.Failed || !check.Required);

    /// <summary>A plain-text table (check, status, detail) followed by a verdict line; fits notebooks and logs.</summary>
    public string Summary
    {
        get
        {
            var nameWidth = Math.Max("Check".Length, Checks.Max(check => check.Name.Length));
            const int statusWidth = 8;
            var text = new StringBuilder();
            void Row(string name, string status, string detail)
            {
                var lines = detail.Split('\n', StringSplitOptions.TrimEntries);
                text.Append(name.PadRight(nameWidth)).Append("  ").Append(status.PadRight(statusWidth)).Append("  ").AppendLine(lines[0]);
                foreach (var continuation in lines.Skip(1))
                {
                    text.Append(' ', nameWidth + statusWidth + 4).AppendLine(continuation);
                }
            }
            Row("Check", "Status", "Detail");
            text.Append('-', nameWidth).Append("  ").Append('-', statusWidth).Append("  ").AppendLine(new string('-', 40));
            foreach (var check in Checks)
            {
                Row(check.Name, check.Status.ToString().ToUpperInvariant() + (check.Required ? "" : "*"), check.Detail);
            }
            text.AppendLine("(* = optional)");
            text.Append(IsHealthy ? "Healthy: everything required works." : "UNHEALTHY: a required check failed.");
            return text.ToString();
        }
    }

    public override string ToString() => Summary;
}

/// <summary>
/// Checks that the machine can run the project: .NET, TorchSharp/libtorch (including the libstdc++
/// compatibility fix), OpenCV, NAudio, Plotly.NET, Deedle and the data/cache/report folders.
/// Used by <c>sernb doctor</c> and the setup notebook.
/// </summary>
public static class Doctor
{
    /// <summary>Runs every check; never throws (a check that throws is reported as failed).</summary>
    public static DoctorReport Run() => Run(Directory.GetCurrentDirectory());

    /// <summary>Runs every check, resolving the project folders from <paramref name="startDirectory"/>.</summary>
    public static DoctorReport Run(string startDirectory)
    {
        var checks = new List<DoctorCheck>
        {
            Check(".NET runtime", true, () =>
                (DoctorStatus.Ok, $"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.RuntimeIdentifier} ({RuntimeInformation.OSDescription})")),
        };

        // The fix is reported before TorchSharp is first used so a failure to load still shows its state.
        var fix = TorchRuntime.ApplyCompatibilityFix();
        checks.Add(new DoctorCheck("TorchSharp fix", FixStatus(fix.FixState), fix.Describe(), Required: false));
        var torchLoaded = false;
        checks.Add(Check("TorchSharp", true, () =>
        {
            TorchRuntime.EnsureLoadable();
            torchLoaded = true;
            return (DoctorStatus.Ok, $"TorchSharp {TorchRuntime.TorchSharpVersion}, libtorch {torch.__version__}");
        }));
        if (torchLoaded)
        {
            checks.Add(Check("Tensor op", true, TensorOp));
            checks.Add(Check("Torch threads", false, () =>
                (DoctorStatus.Ok, $"{torch.get_num_threads()} intra-op, {torch.get_num_interop_threads()} inter-op ({Environment.ProcessorCount} logical CPUs)")));
        }

        checks.Add(Check("OpenCV", true, () =>
        {
            var library = OpenCvRuntime.EnsureLoadable();
            var videoIo = Cv2.GetBuildInformation().Split('\n')
                .Any(line => line.Trim().StartsWith("FFMPEG:", StringComparison.Ordinal) && line.Contains("YES", StringComparison.Ordinal));
            return (DoctorStatus.Ok, $"OpenCV {Cv2.GetVersionString()} (OpenCvSharp {AssemblyVersion(typeof(Cv2).Assembly)}), " +
                                     $"FFMPEG video I/O: {(videoIo ? "yes" : "no")}\n{library}");
        }));
        checks.Add(Check("NAudio", true, () =>
            (DoctorStatus.Ok, $"NAudio.Core {AssemblyVersion(typeof(NAudio.Wave.WaveFormat).Assembly)}")));
        checks.Add(Check("Plotly.NET", true, () =>
        {
            // Rendering a chart exercises FSharp.Core; Plotly.NET 6 fails at run time with FSharp.Core 10.0.
            var html = Plotly.NET.GenericChart.toChartHTML(Plotly.NET.Chart.Invisible());
            var rendered = html.Contains("Plotly.newPlot", StringComparison.Ordinal);
            return (rendered ? DoctorStatus.Ok : DoctorStatus.Failed,
                $"Plotly.NET {AssemblyVersion(typeof(Plotly.NET.Chart).Assembly)}, FSharp.Core {AssemblyVersion(typeof(Microsoft.FSharp.Core.Unit).Assembly)}" +
                (rendered ? "" : ", chart HTML did not render"));
        }));
        checks.Add(Check("Deedle", true, () =>
        {
            var series = new Deedle.Series<int, double>([1, 2, 3], [1.0, 2.0, 6.0]);
            var mean = Deedle.Stats.mean(series);
            return (mean == 3.0 ? DoctorStatus.Ok : DoctorStatus.Failed,
                $"Deedle {AssemblyVersion(typeof(Deedle.Frame).Assembly)}" + (mean == 3.0 ? "" : $", mean of [1,2,6] came out {mean}"));
        }));

        // After the chart and frame checks, so the line says whether loading them needed the host's FSharp.Core.
        checks.Add(new DoctorCheck("Notebook host", DoctorStatus.Ok, NotebookHostCompatibility.Describe(), Required: false));

        var paths = SerNotebooksPaths.Resolve(startDirectory);
        checks.Add(FolderCheck("Data folder", paths.DataDirectory, SerNotebooksPaths.DataVariable));
        checks.Add(FolderCheck("Cache folder", paths.CacheDirectory, SerNotebooksPaths.CacheVariable));
        checks.Add(FolderCheck("Reports folder", paths.ReportsDirectory, SerNotebooksPaths.ReportsVariable));
        return new DoctorReport(checks);
    }

    private static (DoctorStatus, string) TensorOp()
    {
        // A 2x2 matrix product with a gradient: exercises libtorch's BLAS path and autograd.
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3, 4 }, 2, 2).requires_grad_();
        var b = torch.tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        var sum = torch.matmul(a, b).sum();
        sum.backward();
        var value = sum.item<float>();
        var gradient = a.grad!.data<float>().ToArray();
        // d(sum(A·B))/dA[i,k] = sum_j B[k,j] -> rows of B summed: [11, 15, 11, 15].
        var ok = value == 134f && gradient.SequenceEqual([11f, 15f, 11f, 15f]);
        return (ok ? DoctorStatus.Ok : DoctorStatus.Failed,
            $"sum(A·B) = {value} (expected 134), dA = [{string.Join(", ", gradient)}] (expected [11, 15, 11, 15])");
    }

    private static DoctorStatus FixStatus(TorchFixState state) => state switch
    {
        TorchFixState.Applied or TorchFixState.AlreadyApplied or TorchFixState.NotNeeded or TorchFixState.NotRequired => DoctorStatus.Ok,
        TorchFixState.Failed => DoctorStatus.Failed,
        _ => DoctorStatus.Warning,
    };

    private static DoctorCheck FolderCheck(string name, string folder, string variable)
    {
        if (!Directory.Exists(folder))
        {
            return new DoctorCheck(name, DoctorStatus.Ok, $"{folder} (not created yet; set {variable} to move it)", Required: false);
        }
        var probe = Path.Combine(folder, $".doctor-{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return new DoctorCheck(name, DoctorStatus.Ok, $"{folder} (set {variable} to move it)", Required: false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return new DoctorCheck(name, DoctorStatus.Warning, $"{folder} is not writable: {error.Message}", Required: false);
        }
    }

    private static DoctorCheck Check(string name, bool required, Func<(DoctorStatus Status, string Detail)> run)
    {
        try
        {
            var (status, detail) = run();
            return new DoctorCheck(name, status, detail, required);
        }
        catch (Exception error)
        {
            var detail = error is TypeInitializationException { InnerException: { } inner } ? inner.Message : error.Message;
            return new DoctorCheck(name, DoctorStatus.Failed, $"{error.GetType().Name}: {detail}", required);
        }
    }

    private static string AssemblyVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
