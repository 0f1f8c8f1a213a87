namespace SerNotebooks.Demo;

/// <summary>One video frame as OpenFace would report it, plus the true face for rendering.</summary>
public sealed class FaceFrame
{
    public required double Timestamp { get; init; }
    public required bool Success { get; init; }
    public required double Confidence { get; init; }
    /// <summary>pose_Tx, pose_Ty, pose_Tz (mm), pose_Rx, pose_Ry, pose_Rz (radians).</summary>
    public required double[] Pose { get; init; }
    /// <summary>Tracked 2D landmarks: x_0..x_67 then y_0..y_67 (pixels); zeros when tracking failed.</summary>
    public required double[] Landmarks { get; init; }
    /// <summary>Intensities in <see cref="FaceModel.IntensityUnits"/> order (0..5).</summary>
    public required double[] Intensities { get; init; }
    /// <summary>Presence in <see cref="FaceModel.PresenceUnits"/> order (0 or 1).</summary>
    public required double[] Presence { get; init; }
    /// <summary>The true face (73 render points, pixels) the tracker saw or missed.</summary>
    public required (double X, double Y)[] RenderPoints { get; init; }
    /// <summary>Whether something covers the face in this frame (why tracking failed).</summary>
    public required bool Occluded { get; init; }
}

/// <summary>All frames of one clip at <see cref="FrameRate"/> frames per second.</summary>
public sealed record FaceTrack(IReadOnlyList<FaceFrame> Frames, int Width, int Height)
{
    public const double FrameRate = 30;
    public const int DefaultWidth = 256;
    public const int DefaultHeight = 192;
}
