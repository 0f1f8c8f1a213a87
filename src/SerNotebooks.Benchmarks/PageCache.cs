using System.Runtime.InteropServices;

namespace SerNotebooks.Benchmarks;

/// <summary>
/// Drops files from the kernel's page cache (Linux: fsync, then posix_fadvise DONTNEED), so a loader measured next reads
/// from the disk rather than from memory, as it would on a machine whose RAM cannot hold the corpus. Needs no root.
/// </summary>
internal static partial class PageCache
{
    private const int DontNeed = 4; // POSIX_FADV_DONTNEED on Linux

    /// <summary>Evicts every file of <paramref name="directory"/>; false where the platform has no such call.</summary>
    public static bool Evict(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        foreach (var path in Directory.GetFiles(directory))
        {
            using var file = File.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            var descriptor = (int)file.SafeFileHandle.DangerousGetHandle();
            // Dirty pages cannot be dropped: write them back first.
            if (Fsync(descriptor) != 0 || PosixFadvise(descriptor, 0, 0, DontNeed) != 0)
            {
                throw new IOException($"{path}: could not drop it from the page cache (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        return true;
    }

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "posix_fadvise", SetLastError = true)]
    private static partial int PosixFadvise(int descriptor, long offset, long length, int advice);
}
