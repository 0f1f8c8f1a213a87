using OpenCvSharp;
using SerNotebooks.Native;
using SerNotebooks.Notebooks;
using SerNotebooks.Tests.Native;

namespace SerNotebooks.Tests.Notebooks;

public class VideoFrameImageTests
{
    /// <summary>An MJPG .avi whose frame i is a solid grey of level 40 + 80·i.</summary>
    private static string WriteVideo(TempDirectory temp, int frames)
    {
        OpenCvRuntime.EnsureLoadable();
        var path = temp.File("clip.avi");
        using var writer = new VideoWriter(path, FourCC.MJPG, 30, new Size(64, 48));
        Assert.True(writer.IsOpened());
        for (var i = 0; i < frames; i++)
        {
            using var frame = new Mat(new Size(64, 48), MatType.CV_8UC3, Scalar.All(40 + 80 * i));
            writer.Write(frame);
        }
        return path;
    }

    [Fact]
    public void ReadsTheRequestedFrameAsAPngOfTheVideosSize()
    {
        using var temp = new TempDirectory();
        var path = WriteVideo(temp, 3);

        var png = VideoFrameImage.ReadPng(path, frameIndex: 1);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
        using var image = Cv2.ImDecode(png, ImreadModes.Color);
        Assert.Equal(new Size(64, 48), image.Size());
        // JPEG compression moves a solid grey by a level or two, far less than the 80 between frames.
        Assert.InRange(Cv2.Mean(image).Val0, 115, 125);
    }

    [Fact]
    public void MissingVideoOrFrameIsAnErrorNamingTheFile()
    {
        using var temp = new TempDirectory();
        var path = WriteVideo(temp, 2);

        var beyond = Assert.Throws<InvalidDataException>(() => VideoFrameImage.ReadPng(path, frameIndex: 5));
        Assert.Contains(path, beyond.Message);
        Assert.Contains("only 2 frame(s)", beyond.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => VideoFrameImage.ReadPng(temp.File("none.avi")));
        Assert.Contains("none.avi", missing.Message);
    }

    [Fact]
    public void HtmlInlinesThePngAsADataUriAndEscapesTheCaption()
    {
        byte[] png = [1, 2, 3];

        var html = VideoFrameImage.ToHtml(png, "frame <1> & more").ToString();

        Assert.Contains("src=\"data:image/png;base64,AQID\"", html);
        Assert.Contains("frame &lt;1&gt; &amp; more", html);
        Assert.DoesNotContain("<1>", html);
    }
}
