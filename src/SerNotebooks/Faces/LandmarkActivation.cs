namespace SerNotebooks.Faces;

/// <summary>
/// Task 2's per-frame statistic from 68 landmarks: the mean Euclidean displacement of the landmarks from the
/// previous frame divided by the inter-ocular distance, i.e. the distance between the eye centres (means of
/// landmarks 36–41 and 42–47, iBUG 68-point numbering as in OpenFace), taken in the later frame.
/// A pair is used only when both frames are tracked and consecutive (no dropped or missing frame between).
/// </summary>
public static class LandmarkActivation
{
    public static double InterOcularDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double rx = 0, ry = 0, lx = 0, ly = 0;
        for (var i = 0; i < 6; i++)
        {
            rx += x[36 + i];
            ry += y[36 + i];
            lx += x[42 + i];
            ly += y[42 + i];
        }
        return Math.Sqrt((rx - lx) * (rx - lx) + (ry - ly) * (ry - ly)) / 6;
    }

    /// <summary>Displacement of frame b from frame a over inter-ocular distance of b; NaN when the eyes coincide.</summary>
    public static double Displacement(ReadOnlySpan<double> ax, ReadOnlySpan<double> ay, ReadOnlySpan<double> bx, ReadOnlySpan<double> by)
    {
        var iod = InterOcularDistance(bx, by);
        if (!(iod > 1e-6))
        {
            return double.NaN;
        }
        double sum = 0;
        for (var i = 0; i < ax.Length; i++)
        {
            var dx = bx[i] - ax[i];
            var dy = by[i] - ay[i];
            sum += Math.Sqrt(dx * dx + dy * dy);
        }
        return sum / ax.Length / iod;
    }

    /// <summary>The activation curve of an OpenFace track (landmarks required).</summary>
    public static ActivationCurve FromTrack(OpenFaceTrack track, FaceActivationSettings settings, double frameRate)
    {
        var times = new List<double>();
        var values = new List<double>();
        var usable = 0;
        for (var i = 0; i < track.FrameCount; i++)
        {
            if (!track.IsTracked(i, settings.ConfidenceThreshold))
            {
                continue;
            }
            usable++;
            if (i == 0 || track.FrameNumbers[i] != track.FrameNumbers[i - 1] + 1 || !track.IsTracked(i - 1, settings.ConfidenceThreshold))
            {
                continue;
            }
            var value = Displacement(track.LandmarkX[i - 1], track.LandmarkY[i - 1], track.LandmarkX[i], track.LandmarkY[i]);
            if (double.IsNaN(value))
            {
                continue;
            }
            if (settings.AcceptAnyFrameRate)
            {
                value /= (track.Timestamps[i] - track.Timestamps[i - 1]) * settings.ExpectedFrameRate;
            }
            times.Add(track.Timestamps[i]);
            values.Add(value);
        }
        return new ActivationCurve([.. times], [.. values], FaceSources.OpenFace, frameRate, track.FrameCount, usable);
    }
}

/// <summary>Values of <c>TaskMeasurement.Source</c> for the face tasks.</summary>
public static class FaceSources
{
    public const string OpenFace = "openface";
    public const string VideoFlow = "video-flow";
    public const string VideoLbf = "video-lbf";
    public const string None = "none";
}
