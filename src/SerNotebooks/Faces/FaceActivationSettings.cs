namespace SerNotebooks.Faces;

/// <summary>
/// What the per-frame activation measures (<see cref="LandmarkActivation"/>, <see cref="VideoFaceActivation"/>) need
/// to know: which frames count, how a frame rate other than the expected one is handled and, for video, where the
/// face is and which landmark model to fit. A task's options supply them, so face analysis knows no task.
/// </summary>
/// <param name="ConfidenceThreshold">Frames with OpenFace <c>confidence</c> below this are not tracked.</param>
/// <param name="ExpectedFrameRate">The frame rate per-frame displacement is expressed at.</param>
/// <param name="AcceptAnyFrameRate">Rescale each frame pair's displacement to one <paramref name="ExpectedFrameRate"/> interval.</param>
/// <param name="CascadePath">Haar cascade for the face box in videos; null or a missing file means "use <paramref name="FaceRegion"/>".</param>
/// <param name="FaceRegion">The face box used when no cascade is available or it finds no face; null = no face.</param>
/// <param name="LbfModelPath">A FacemarkLBF model: video activation from 68 landmarks instead of optical flow.</param>
public sealed record FaceActivationSettings(
    double ConfidenceThreshold,
    double ExpectedFrameRate,
    bool AcceptAnyFrameRate,
    string? CascadePath,
    FaceRegion? FaceRegion,
    string? LbfModelPath);
