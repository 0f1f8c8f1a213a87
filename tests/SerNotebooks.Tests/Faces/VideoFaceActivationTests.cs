using OpenCvSharp;
using SerNotebooks.Faces;
using SerNotebooks.Pretext.Tasks.FacialActivation;

namespace SerNotebooks.Tests.Faces;

public sealed class VideoFaceActivationTests : IDisposable
{
    private readonly string _folder = FaceTestData.NewFolder();

    /// <summary>A drawn face (head, eyes, brows, mouth) in an MJPG .avi; the mouth and brows move when <paramref name="moving"/>.</summary>
    private string WriteFaceVideo(string name, bool moving, double fps = 30, int frames = 90)
    {
        var path = Path.Combine(_folder, name);
        using (var writer = new VideoWriter(path, FourCC.MJPG, fps, new Size(160, 120)))
        {
            Assert.True(writer.IsOpened());
            for (var f = 0; f < frames; f++)
            {
                var open = moving ? 10 * (0.5 + 0.5 * Math.Sin(2 * Math.PI * 2.5 * f / fps)) : 3;
                using var image = new Mat(new Size(160, 120), MatType.CV_8UC3, new Scalar(40, 40, 40));
                Cv2.Ellipse(image, new Point(80, 60), new Size(38, 50), 0, 0, 360, new Scalar(150, 180, 220), -1);
                Cv2.Circle(image, new Point(66, 48), 5, Scalar.Black, -1);
                Cv2.Circle(image, new Point(94, 48), 5, Scalar.Black, -1);
                var brow = 38 - (int)Math.Round(open / 2);
                Cv2.Line(image, new Point(58, brow), new Point(74, brow), Scalar.Black, 2);
                Cv2.Line(image, new Point(86, brow), new Point(102, brow), Scalar.Black, 2);
                Cv2.Ellipse(image, new Point(80, 82), new Size(14, Math.Max(1, (int)Math.Round(open))), 0, 0, 360, new Scalar(40, 30, 120), -1);
                writer.Write(image);
            }
        }
        return path;
    }

    private static readonly FacialActivationOptions Region = new() { CascadePath = null, FaceRegion = new FaceRegion(42, 10, 76, 100) };

    [Fact]
    public void MovingDrawnFaceHasHigherFlowActivationThanAStillOne()
    {
        var task = new FacialActivationTask(Region);
        var still = task.Measure(FaceTestData.Clip("still", null, WriteFaceVideo("still.avi", moving: false)));
        var moving = task.Measure(FaceTestData.Clip("moving", null, WriteFaceVideo("moving.avi", moving: true)));

        Assert.Equal(FaceSources.VideoFlow, still.Source);
        Assert.Equal(FaceSources.VideoFlow, moving.Source);
        Assert.All(moving.ChunkValues!, v => Assert.True(v > 5 * still.ChunkValues!.Max() && v > 0.002, $"moving {v} vs still {still.ChunkValues!.Max()}"));
        var labeller = task.Fit([still, moving]);
        Assert.Equal([0, 0, 0], labeller.Label(still).ChunkLabels!);
        Assert.Equal([1, 1, 1], labeller.Label(moving).ChunkLabels!);
    }

    [Fact]
    public void CsvIsPreferredOverVideoAndMissingCsvFallsBackToVideo()
    {
        var task = new FacialActivationTask(Region);
        var video = WriteFaceVideo("both.avi", moving: true, frames: 40);
        var csv = FaceTestData.WriteCsv(_folder, "both.csv", FaceTestData.Frames(40, 30, t => 0));
        Assert.Equal(FaceSources.OpenFace, task.Measure(FaceTestData.Clip("both", csv, video, seconds: 1.3, chunks: 1)).Source);
        Assert.Equal(FaceSources.VideoFlow, task.Measure(FaceTestData.Clip("fallback", Path.Combine(_folder, "absent.csv"), video, seconds: 1.3, chunks: 1)).Source);
    }

    [Fact]
    public void UnreadableVideoWrongRateAndNoFaceRegionGiveReasonsNamingTheFile()
    {
        var task = new FacialActivationTask(Region);
        var junk = Path.Combine(_folder, "junk.avi");
        File.WriteAllText(junk, "this is not a video");
        var reason = task.Measure(FaceTestData.Clip("junk", null, junk)).SkipReason;
        Assert.StartsWith($"{junk}: ", reason, StringComparison.Ordinal);

        var slow = WriteFaceVideo("15fps.avi", moving: true, fps: 15, frames: 45);
        Assert.Equal($"{slow}: frame rate 15 fps, expected 30 fps (set AcceptAnyFrameRate to rescale per-frame motion)",
            task.Measure(FaceTestData.Clip("slow", null, slow)).SkipReason);

        var noRegion = new FacialActivationTask(new FacialActivationOptions { CascadePath = Path.Combine(_folder, "no-cascade.xml") });
        var video = WriteFaceVideo("noregion.avi", moving: true, frames: 20);
        Assert.Contains("no Haar cascade file", noRegion.Measure(FaceTestData.Clip("noregion", null, video)).SkipReason, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
