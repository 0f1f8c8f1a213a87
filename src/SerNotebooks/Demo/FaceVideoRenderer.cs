using OpenCvSharp;

namespace SerNotebooks.Demo;

/// <summary>
/// Draws a plain face from a track's true landmarks (skin, brows, eyes, nose, lips, open mouth) on the
/// speaker's background, with an occluding hand when the tracker failed, and writes a 30 fps MJPG AVI.
/// OpenCV's own MJPEG/AVI writer is used rather than FFmpeg's, so the bytes depend only on OpenCV.
/// </summary>
public static class FaceVideoRenderer
{
    /// <summary>JPEG quality of each frame (OpenCV's default is 95; flat drawings lose nothing visible at 80).</summary>
    public const int JpegQuality = 80;

    public static void Write(string path, FaceTrack track, SpeakerProfile speaker)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // The writer picks its container from the extension, so the temporary file keeps ".avi".
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileNameWithoutExtension(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}.avi");
        try
        {
            var size = new Size(track.Width, track.Height);
            using (var writer = new VideoWriter(temporary, VideoCaptureAPIs.OPENCV_MJPEG, FourCC.MJPG, FaceTrack.FrameRate, size))
            {
                if (!writer.IsOpened())
                {
                    throw new IOException($"{path}: OpenCV could not open an MJPG AVI writer");
                }
                writer.Set(VideoWriterProperties.Quality, JpegQuality);
                using var image = new Mat(size, MatType.CV_8UC3);
                foreach (var frame in track.Frames)
                {
                    Draw(image, frame, speaker);
                    writer.Write(image);
                }
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public static void Draw(Mat image, FaceFrame frame, SpeakerProfile speaker)
    {
        var (bb, bg, br) = speaker.BackgroundColour;
        var (sb, sg, sr) = speaker.SkinColour;
        image.SetTo(new Scalar(bb, bg, br));
        var p = frame.RenderPoints;
        Point P(int i) => new((int)Math.Round(p[i].X), (int)Math.Round(p[i].Y));
        Point[] Range(int from, int to) => Enumerable.Range(from, to - from + 1).Select(P).ToArray();

        var skin = new Scalar(sb, sg, sr);
        var dark = new Scalar(sb * 0.35, sg * 0.35, sr * 0.35);
        var shade = new Scalar(sb * 0.75, sg * 0.75, sr * 0.75);
        var outline = Range(0, 16).Concat(new[] { P(72), P(71), P(70), P(69), P(68) }).ToArray();
        Cv2.FillPoly(image, [outline], skin, LineTypes.AntiAlias);
        Cv2.Polylines(image, [Range(17, 21), Range(22, 26)], false, dark, 3, LineTypes.AntiAlias);
        Cv2.Polylines(image, [Range(27, 30), Range(31, 35)], false, shade, 2, LineTypes.AntiAlias);
        foreach (var eye in new[] { Range(36, 41), Range(42, 47) })
        {
            Cv2.FillPoly(image, [eye], new Scalar(235, 235, 235), LineTypes.AntiAlias);
            var centre = new Point(eye.Average(q => q.X), eye.Average(q => q.Y));
            var height = eye.Max(q => q.Y) - eye.Min(q => q.Y);
            if (height >= 2)
            {
                Cv2.Circle(image, centre, Math.Max(1, height / 2), new Scalar(40, 30, 20), -1, LineTypes.AntiAlias);
            }
            Cv2.Polylines(image, [eye], true, dark, 1, LineTypes.AntiAlias);
        }
        Cv2.FillPoly(image, [Range(48, 59)], new Scalar(sb * 0.55, sg * 0.5, Math.Min(255, sr * 0.95)), LineTypes.AntiAlias);
        Cv2.FillPoly(image, [Range(60, 67)], new Scalar(30, 20, 40), LineTypes.AntiAlias);
        if (frame.Occluded)
        {
            // A raised hand over part of the face: why the tracker lost it.
            var centre = new Point((p[30].X + p[4].X) / 2, (p[30].Y + p[4].Y) / 2);
            Cv2.Ellipse(image, centre, new Size(55, 42), 20, 0, 360, new Scalar(sb * 0.9, sg * 0.9, sr * 0.95), -1, LineTypes.AntiAlias);
        }
    }
}
