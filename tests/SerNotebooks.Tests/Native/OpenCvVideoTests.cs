using OpenCvSharp;
using SerNotebooks.Native;

namespace SerNotebooks.Tests.Native;

public class OpenCvVideoTests
{
    [Fact]
    public void MjpgAviRoundTripsFrameCountSizeAndContent()
    {
        OpenCvRuntime.EnsureLoadable();
        using var temp = new TempDirectory();
        var path = temp.File("clip.avi");
        var size = new Size(64, 48);
        const int frames = 12;

        using (var writer = new VideoWriter(path, FourCC.MJPG, 10, size))
        {
            Assert.True(writer.IsOpened(), "VideoWriter could not open an MJPG .avi");
            for (var i = 0; i < frames; i++)
            {
                using var frame = Frame(i, size);
                writer.Write(frame);
            }
        }

        using var capture = new VideoCapture(path);
        Assert.True(capture.IsOpened(), $"VideoCapture could not open {path}");
        Assert.Equal(64, capture.FrameWidth);
        Assert.Equal(48, capture.FrameHeight);
        var read = 0;
        using var decoded = new Mat();
        while (capture.Read(decoded) && !decoded.Empty())
        {
            Assert.Equal(size, decoded.Size());
            using var expected = Frame(read, size);
            // MJPG is lossy: compare per-channel means and the bright square's position, not exact pixels.
            var (actualMean, expectedMean) = (Cv2.Mean(decoded), Cv2.Mean(expected));
            for (var channel = 0; channel < 3; channel++)
            {
                Assert.True(Math.Abs(actualMean[channel] - expectedMean[channel]) < 6,
                    $"frame {read}, channel {channel}: mean {actualMean[channel]:F1}, expected {expectedMean[channel]:F1}");
            }
            using var gray = decoded.CvtColor(ColorConversionCodes.BGR2GRAY);
            Cv2.MinMaxLoc(gray, out _, out _, out _, out var brightest);
            Assert.InRange(brightest.X, 4 * read, 4 * read + 11);
            read++;
        }
        Assert.Equal(frames, read);
    }

    /// <summary>A blue-grey background whose level rises with the frame, plus a white 8x8 square moving right.</summary>
    private static Mat Frame(int index, Size size)
    {
        var frame = new Mat(size, MatType.CV_8UC3, new Scalar(100 + 5 * index, 60, 30));
        frame.Rectangle(new Rect(4 * index + 2, 20, 8, 8), Scalar.White, -1);
        return frame;
    }
}
