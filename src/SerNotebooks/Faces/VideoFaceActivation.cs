using OpenCvSharp;
using OpenCvSharp.Face;
using SerNotebooks.Native;

namespace SerNotebooks.Faces;

/// <summary>A video could not be used for task 2; the message names the file and the reason.</summary>
public sealed class FaceVideoException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Task 2 from raw video when a clip has no OpenFace CSV. The face box comes from a Haar cascade (median of the
/// largest detection over up to <see cref="DetectionSamples"/> evenly spaced frames, so one box serves the whole
/// clip and head-box jitter does not count as movement) or, without a cascade, from the configured region.
/// Without a landmark model the per-frame activation is the mean dense optical-flow magnitude (Farnebäck) in the
/// face box divided by the box width ("video-flow"); with a FacemarkLBF model it is the landmark displacement
/// over inter-ocular distance, exactly as for OpenFace ("video-lbf"). The two are different scales: a training
/// threshold should be fitted on clips of one source.
/// </summary>
public static class VideoFaceActivation
{
    public const int DetectionSamples = 10;

    /// <summary>Debian/Ubuntu package opencv-data's frontal-face cascade.</summary>
    public const string DefaultCascadePath = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

    public static ActivationCurve Measure(string videoPath, FaceActivationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!File.Exists(videoPath))
        {
            throw new FaceVideoException($"{videoPath}: video not found");
        }
        OpenCvRuntime.EnsureLoadable();
        var frames = ReadGrayFrames(videoPath, out var fps);
        try
        {
            if (frames.Count < 2)
            {
                throw new FaceVideoException($"{videoPath}: {frames.Count} decodable frame(s); need at least 2");
            }
            var rate = fps > 0 ? fps : settings.ExpectedFrameRate;
            var box = FindFace(videoPath, frames, settings);
            return settings.LbfModelPath is { } model
                ? LandmarkCurve(videoPath, frames, box, model, rate, settings)
                : FlowCurve(frames, box, rate);
        }
        finally
        {
            foreach (var frame in frames)
            {
                frame.Dispose();
            }
        }
    }

    /// <summary>Frames per second a video container declares (NaN when unreadable); used for the frame-rate check before decoding.</summary>
    public static double DeclaredFrameRate(string videoPath)
    {
        OpenCvRuntime.EnsureLoadable();
        using var capture = new VideoCapture(videoPath);
        return capture.IsOpened() ? capture.Fps : double.NaN;
    }

    private static List<Mat> ReadGrayFrames(string videoPath, out double fps)
    {
        using var capture = new VideoCapture(videoPath);
        if (!capture.IsOpened())
        {
            throw new FaceVideoException($"{videoPath}: cannot open the video (not a video file, or a codec FFmpeg lacks)");
        }
        fps = capture.Fps;
        var frames = new List<Mat>();
        using var colour = new Mat();
        while (capture.Read(colour) && !colour.Empty())
        {
            var gray = new Mat();
            if (colour.Channels() == 1)
            {
                colour.CopyTo(gray);
            }
            else
            {
                Cv2.CvtColor(colour, gray, ColorConversionCodes.BGR2GRAY);
            }
            frames.Add(gray);
        }
        return frames;
    }

    private static Rect FindFace(string videoPath, List<Mat> frames, FaceActivationSettings settings)
    {
        var bounds = new Rect(0, 0, frames[0].Width, frames[0].Height);
        if (settings.CascadePath is { } cascadePath && File.Exists(cascadePath))
        {
            using var cascade = new CascadeClassifier(cascadePath);
            var found = new List<Rect>();
            var samples = Math.Min(DetectionSamples, frames.Count);
            for (var s = 0; s < samples; s++)
            {
                var frame = frames[(int)((long)s * (frames.Count - 1) / Math.Max(1, samples - 1))];
                var faces = cascade.DetectMultiScale(frame, 1.1, 3, HaarDetectionTypes.ScaleImage, new Size(24, 24));
                if (faces.Length > 0)
                {
                    found.Add(faces.MaxBy(f => f.Width * f.Height));
                }
            }
            if (found.Count > 0)
            {
                int Median(Func<Rect, int> pick) => found.Select(pick).Order().ElementAt(found.Count / 2);
                return new Rect(Median(r => r.X), Median(r => r.Y), Median(r => r.Width), Median(r => r.Height)) & bounds;
            }
        }
        if (settings.FaceRegion is { } region)
        {
            var rect = new Rect(region.X, region.Y, region.Width, region.Height) & bounds;
            if (rect.Width < 8 || rect.Height < 8)
            {
                throw new FaceVideoException($"{videoPath}: the configured face region {region} lies outside the {bounds.Width}×{bounds.Height} frame");
            }
            return rect;
        }
        var why = settings.CascadePath is { } path && File.Exists(path)
            ? $"the Haar cascade {path} found no face in {Math.Min(DetectionSamples, frames.Count)} sampled frames"
            : $"no Haar cascade file ({settings.CascadePath ?? "none configured"}; apt-get install opencv-data)";
        throw new FaceVideoException($"{videoPath}: {why} and no face region is configured");
    }

    private static ActivationCurve FlowCurve(List<Mat> frames, Rect box, double rate)
    {
        var times = new double[frames.Count - 1];
        var values = new double[frames.Count - 1];
        using var flow = new Mat();
        using var magnitude = new Mat();
        for (var i = 1; i < frames.Count; i++)
        {
            using var previous = new Mat(frames[i - 1], box);
            using var current = new Mat(frames[i], box);
            Cv2.CalcOpticalFlowFarneback(previous, current, flow, 0.5, 3, 15, 3, 5, 1.2, OpticalFlowFlags.None);
            Cv2.Split(flow, out var components);
            try
            {
                Cv2.Magnitude(components[0], components[1], magnitude);
            }
            finally
            {
                foreach (var component in components)
                {
                    component.Dispose();
                }
            }
            times[i - 1] = i / rate;
            values[i - 1] = Cv2.Mean(magnitude).Val0 / box.Width;
        }
        return new ActivationCurve(times, values, FaceSources.VideoFlow, rate, frames.Count, frames.Count);
    }

    private static ActivationCurve LandmarkCurve(string videoPath, List<Mat> frames, Rect box, string modelPath, double rate, FaceActivationSettings settings)
    {
        if (!File.Exists(modelPath))
        {
            throw new FaceVideoException($"{videoPath}: the configured FacemarkLBF model {modelPath} does not exist");
        }
        using var facemark = FacemarkLBF.Create();
        facemark.LoadModel(modelPath);
        var times = new List<double>();
        var values = new List<double>();
        double[]? previousX = null, previousY = null;
        var usable = 0;
        for (var i = 0; i < frames.Count; i++)
        {
            using var faces = InputArray.Create(new[] { box });
            double[]? x = null, y = null;
            if (facemark.Fit(frames[i], faces, out var landmarks) && landmarks.Length > 0 && landmarks[0].Length == OpenFaceTrack.LandmarkCount)
            {
                x = landmarks[0].Select(p => (double)p.X).ToArray();
                y = landmarks[0].Select(p => (double)p.Y).ToArray();
                usable++;
            }
            if (x is not null && previousX is not null)
            {
                var value = LandmarkActivation.Displacement(previousX, previousY, x, y);
                if (!double.IsNaN(value))
                {
                    times.Add(i / rate);
                    values.Add(settings.AcceptAnyFrameRate ? value * settings.ExpectedFrameRate / rate : value);
                }
            }
            (previousX, previousY) = (x, y);
        }
        return new ActivationCurve([.. times], [.. values], FaceSources.VideoLbf, rate, frames.Count, usable);
    }
}
