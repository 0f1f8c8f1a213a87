using SerNotebooks.Diagnostics;
using SerNotebooks.Native;

namespace SerNotebooks.Tests.Diagnostics;

public class DoctorTests
{
    [Fact]
    public void DoctorIsHealthyHereAndReportsTheTorchSharpFix()
    {
        var report = Doctor.Run();

        Assert.True(report.IsHealthy, report.Summary);
        var names = report.Checks.Select(check => check.Name).ToList();
        Assert.Superset(new HashSet<string> { ".NET runtime", "TorchSharp fix", "TorchSharp", "Tensor op", "Torch threads", "OpenCV",
            "NAudio", "Plotly.NET", "Deedle", "Data folder", "Cache folder", "Reports folder" }, names.ToHashSet());
        Assert.All(report.Checks.Where(check => check.Required), check => Assert.Equal(DoctorStatus.Ok, check.Status));

        var fix = report.Checks.Single(check => check.Name == "TorchSharp fix");
        var libStdCxx = SystemLibStdCxx.Locate()!;
        if (ElfVersionRequirementPatcher.DefinesVersion(libStdCxx, ElfVersionRequirementPatcher.TorchSharpVersionRequirement))
        {
            Assert.StartsWith("not needed", fix.Detail);
        }
        else
        {
            // This machine (Debian 12): the library TorchSharp loads must be the patched one.
            Assert.Equal(DoctorStatus.Ok, fix.Status);
            Assert.Matches("^(active|applied now)", fix.Detail);
            Assert.Contains("libLibTorchSharp.so", fix.Detail);
        }
        Assert.Contains("libtorch 2.10", report.Checks.Single(check => check.Name == "TorchSharp").Detail);
        Assert.Contains("OpenCV 4.13", report.Checks.Single(check => check.Name == "OpenCV").Detail);
    }

    [Fact]
    public void SummaryIsAPlainTextTableWithAVerdict()
    {
        var report = new DoctorReport([
            new DoctorCheck("Alpha", DoctorStatus.Ok, "first line\nsecond line", Required: true),
            new DoctorCheck("Longer name", DoctorStatus.Warning, "careful", Required: false),
        ]);

        var lines = report.Summary.Split(Environment.NewLine);

        Assert.StartsWith("Check        Status    Detail", lines[0]);
        Assert.Equal("Alpha        OK        first line", lines[2]);
        Assert.Equal(new string(' ', 23) + "second line", lines[3]);
        Assert.Equal("Longer name  WARNING*  careful", lines[4]);
        Assert.StartsWith("Healthy", lines[^1]);
    }

    [Fact]
    public void OnlyFailedRequiredChecksMakeTheReportUnhealthy()
    {
        var optionalFailure = new DoctorCheck("Optional", DoctorStatus.Failed, "broken", Required: false);
        var requiredFailure = new DoctorCheck("Required", DoctorStatus.Failed, "broken", Required: true);
        var warning = new DoctorCheck("Warned", DoctorStatus.Warning, "hmm", Required: true);

        Assert.True(new DoctorReport([optionalFailure, warning]).IsHealthy);
        var unhealthy = new DoctorReport([optionalFailure, requiredFailure]);
        Assert.False(unhealthy.IsHealthy);
        Assert.StartsWith("UNHEALTHY", unhealthy.Summary.Split(Environment.NewLine)[^1]);
    }
}
