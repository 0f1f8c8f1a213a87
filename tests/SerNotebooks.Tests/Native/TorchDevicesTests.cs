using SerNotebooks.Native;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Native;

public sealed class TorchDevicesTests
{
    [Theory]
    [InlineData("cpu", true)]
    [InlineData("CUDA", true)]
    [InlineData("cuda:1", true)]
    [InlineData("gpu", false)]
    [InlineData("cuda:", false)]
    [InlineData("mps", false)]
    public void DeviceNamesAreCpuCudaOrCudaN(string name, bool valid) => Assert.Equal(valid, TorchDevices.IsValidName(name));

    [Fact]
    public void TheCpuResolvesToTheCpu() => Assert.Equal(TorchSharp.DeviceType.CPU, TorchDevices.Resolve("cpu").type);

    [Fact]
    public void CudaOnTheCpuOnlyBuildFailsNamingThePackageToReference()
    {
        var error = Assert.Throws<TorchRuntimeException>(() => TorchDevices.Resolve("cuda"));

        Assert.Contains("TorchSharp-cuda-linux", error.Message);
        Assert.Contains("TorchSharp-cpu", error.Message);
    }

    [Fact]
    public void ARunOnCudaFailsAtItsStartBeforeTheRunFolderIsMade()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sernb-cuda-" + Guid.NewGuid().ToString("N"));
        var config = new TrainingConfig { Kind = RunKind.Finetune, Manifests = [folder], Device = "cuda" };

        var error = Assert.Throws<TorchRuntimeException>(() => TrainingRun.Run(config, folder));

        Assert.Contains("TorchSharp-cuda-linux", error.Message);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void AnUnknownDeviceIsAConfigError()
    {
        var config = new TrainingConfig { Kind = RunKind.Finetune, Manifests = ["x"], Device = "gpu" };

        var error = Assert.Throws<ArgumentException>(() => config.Validate());

        Assert.Contains("expected cpu, cuda or cuda:N", error.Message);
    }
}
