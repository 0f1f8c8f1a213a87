using System.Text.RegularExpressions;
using TorchSharp;

namespace SerNotebooks.Native;

/// <summary>
/// The device of a run's config (<c>"device"</c>: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>). A CUDA device is honoured where
/// modules and batches are created (models, class weights and every batch move to it; results are read back on the
/// CPU); the dataset and labels stay in host memory, since batches stream from the feature shards. This repository
/// references the CPU-only libtorch (<c>TorchSharp-cpu</c>), so a CUDA config fails at the start of the run with the
/// package to reference instead.
/// </summary>
public static partial class TorchDevices
{
    public const string CudaPackageHint =
        "reference TorchSharp-cuda-linux (Linux) or TorchSharp-cuda-windows (Windows), the same version as TorchSharp-cpu, instead of TorchSharp-cpu in Directory.Packages.props and src/SerNotebooks/SerNotebooks.csproj (and have an NVIDIA driver for that CUDA version), or set \"device\": \"cpu\"";

    [GeneratedRegex("^(cpu|cuda(:[0-9]+)?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DeviceName();

    /// <summary>Whether <paramref name="name"/> is <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public static bool IsValidName(string name) => DeviceName().IsMatch(name);

    public static bool IsCpu(string name) => string.Equals(name, "cpu", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The device named <paramref name="name"/>, checked to be usable now; <see cref="TorchRuntimeException"/> naming the
    /// package to reference when CUDA is asked for and this libtorch has none (or no GPU is visible).
    /// </summary>
    public static torch.Device Resolve(string name)
    {
        if (!IsValidName(name))
        {
            throw new TorchRuntimeException($"device '{name}': expected cpu, cuda or cuda:N");
        }
        if (IsCpu(name))
        {
            return torch.CPU;
        }
        bool available;
        try
        {
            available = torch.cuda.is_available();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The CPU-only native library may not even answer the question.
            available = false;
        }
        if (!available)
        {
            throw new TorchRuntimeException(
                $"device '{name}': this libtorch has no usable CUDA (this repository references TorchSharp-cpu, the CPU-only build, or no NVIDIA GPU is visible): {CudaPackageHint}");
        }
        var device = torch.device(name.ToLowerInvariant());
        if (device.index >= torch.cuda.device_count())
        {
            throw new TorchRuntimeException($"device '{name}': only {torch.cuda.device_count()} CUDA device(s) are visible");
        }
        return device;
    }

    /// <summary><paramref name="tensor"/> on the CPU, for reading its values (itself when it is there already).</summary>
    public static torch.Tensor OnCpu(torch.Tensor tensor) => tensor.device_type == DeviceType.CPU ? tensor : tensor.cpu();
}
