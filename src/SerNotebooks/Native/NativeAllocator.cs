using System.Runtime.InteropServices;

namespace SerNotebooks.Native;

/// <summary>
/// glibc's allocator settings for training. By default glibc serves every allocation above 128 KB–32 MB (a threshold it
/// moves itself) with its own <c>mmap</c> and returns it with <c>munmap</c> when freed, and gives the top of the heap
/// back to the kernel when 128 KB of it are free. A training step allocates and frees the same few MB-sized buffers
/// every step (a batch of inputs, libtorch's activations and gradients), so each step mapped fresh pages and the kernel
/// zeroed them on first touch: measured on the demo profile, one pre-training run spent a quarter of its CPU time in
/// the kernel and ran 2.2× slower than with the settings below (TRAINING.md, "Allocator"). Keeping freed memory in the
/// process (mmap threshold at glibc's maximum, 32 MB; trim threshold 256 MB; 64 MB top pad) lets every step reuse the
/// last step's pages. The numbers do not change (where memory lives is not what is computed); peak RSS grows by at most
/// the trim threshold. Other C libraries (musl, macOS, Windows) are left alone.
/// </summary>
public static partial class NativeAllocator
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int TopPad = -2; // M_TOP_PAD
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    /// <summary>glibc's largest accepted mmap threshold on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX).</summary>
    public const int MmapThresholdBytes = 32 * 1024 * 1024;

    public const int TrimThresholdBytes = 256 * 1024 * 1024;

    public const int TopPadBytes = 64 * 1024 * 1024;

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>Whether glibc accepted the settings in this process (false elsewhere, or when disabled).</summary>
    public static bool IsTuned => Applied.Value;

    /// <summary>Set <c>SERNB_MALLOC_TUNING=off</c> to keep glibc's defaults (to measure the difference).</summary>
    public const string DisableVariable = "SERNB_MALLOC_TUNING";

    /// <summary>Applies the settings once per process; true when glibc accepted all three.</summary>
    public static bool Tune() => Applied.Value;

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux()
            || string.Equals(Environment.GetEnvironmentVariable(DisableVariable), "off", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        try
        {
            // mallopt returns 1 on success; musl has no mallopt (EntryPointNotFoundException).
            return Mallopt(MmapThreshold, MmapThresholdBytes) == 1
                & Mallopt(TrimThreshold, TrimThresholdBytes) == 1
                & Mallopt(TopPad, TopPadBytes) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
