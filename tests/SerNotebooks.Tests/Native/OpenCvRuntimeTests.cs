using System.Text;
using SerNotebooks.Native;

namespace SerNotebooks.Tests.Native;

public class OpenCvRuntimeTests
{
    private const string LddWithoutGtk = """
        	linux-vdso.so.1 (0x00007ffd5a1f2000)
        	libfreetype.so.6 => /lib/x86_64-linux-gnu/libfreetype.so.6 (0x00007f0c1a000000)
        	libgtk-3.so.0 => not found
        	libgdk-3.so.0 => not found
        	libatk-1.0.so.0 => not found
        	libcairo.so.2 => /lib/x86_64-linux-gnu/libcairo.so.2 (0x00007f0c19e00000)
        	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0c19c1f000)
        """;

    [Fact]
    public void MissingLibrariesAreReadFromLddOutput()
    {
        Assert.Equal(["libgtk-3.so.0", "libgdk-3.so.0", "libatk-1.0.so.0"], OpenCvRuntime.MissingFromLdd(LddWithoutGtk));
        Assert.Empty(OpenCvRuntime.MissingFromLdd("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n"));
    }

    [Fact]
    public void MissingLibraryIsReadFromTheLoaderError()
    {
        const string error = "Unable to load shared library '/app/libOpenCvSharpExtern.so' or one of its dependencies. " +
                             "In order to help diagnose loading problems, consider using a tool like strace. " +
                             "libgtk-3.so.0: cannot open shared object file: No such file or directory";
        Assert.Equal(["libgtk-3.so.0"], OpenCvRuntime.MissingFromLoaderError(error));
    }

    [Fact]
    public void MessageNamesTheMissingLibraryAndTheInstallCommand()
    {
        var message = OpenCvRuntime.DescribeFailure("/app/libOpenCvSharpExtern.so", OpenCvRuntime.MissingFromLdd(LddWithoutGtk), null);

        Assert.Contains("/app/libOpenCvSharpExtern.so", message);
        Assert.Contains("libgtk-3.so.0 (package libgtk-3-0)", message);
        Assert.Contains("libatk-1.0.so.0 (package libatk1.0-0)", message);
        Assert.Contains("apt-get install -y libgtk-3-0 libatk1.0-0", message);
    }

    [Fact]
    public void DebianPackagesAreKnownForGtkLibraries()
    {
        Assert.Equal("libgtk-3-0", OpenCvRuntime.DebianPackageFor("libgtk-3.so.0"));
        Assert.Equal("libgtk-3-0", OpenCvRuntime.DebianPackageFor("libgdk-3.so.0"));
        Assert.Equal("libglib2.0-0", OpenCvRuntime.DebianPackageFor("libgobject-2.0.so.0"));
        Assert.Null(OpenCvRuntime.DebianPackageFor("libsomethingelse.so.1"));
    }

    [Fact]
    public void RealLibraryWithAnUnresolvableGtkDependencyIsDiagnosed()
    {
        // The real libOpenCvSharpExtern.so with its DT_NEEDED entry renamed to a GTK soname no system has:
        // the loader fails exactly as it would without libgtk-3-0 installed.
        var original = OpenCvRuntime.CandidateLibraries().First();
        using var temp = new TempDirectory();
        var broken = temp.File("libOpenCvSharpExtern.so");
        var bytes = File.ReadAllBytes(original);
        var replaced = Replace(bytes, "libgtk-3.so.0\0", "libgtk-3.so.9\0");
        Assert.True(replaced > 0, "libgtk-3.so.0 not found in the library's string table");
        File.WriteAllBytes(broken, bytes);

        var error = Assert.Throws<NativeDependencyException>(() => OpenCvRuntime.CheckLoadable(broken));

        Assert.Equal(broken, error.LibraryPath);
        Assert.Contains("libgtk-3.so.9", error.MissingLibraries);
        Assert.Contains("libgtk-3.so.9 (package libgtk-3-0)", error.Message);
        Assert.Contains("apt-get install -y libgtk-3-0", error.Message);
    }

    [Fact]
    public void OpenCvLoadsOnThisMachine()
    {
        var library = OpenCvRuntime.EnsureLoadable();
        Assert.EndsWith("libOpenCvSharpExtern.so", library);
        Assert.StartsWith("4.", OpenCvSharp.Cv2.GetVersionString());
    }

    private static int Replace(byte[] haystack, string from, string to)
    {
        var needle = Encoding.ASCII.GetBytes(from);
        var replacement = Encoding.ASCII.GetBytes(to);
        var count = 0;
        for (var i = haystack.AsSpan().IndexOf(needle); i >= 0;)
        {
            replacement.CopyTo(haystack, i);
            count++;
            var next = haystack.AsSpan(i + needle.Length).IndexOf(needle);
            i = next < 0 ? -1 : i + needle.Length + next;
        }
        return count;
    }
}
