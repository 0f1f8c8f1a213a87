using SerNotebooks.Faces;

namespace SerNotebooks.Pretext.Tasks.FacialActivation;

/// <summary>Options of <see cref="FacialActivationTask"/> (task 2). Defaults are the project's documented choices.</summary>
public sealed record FacialActivationOptions
{
    /// <summary>Frames with OpenFace <c>confidence</c> below this are dropped, like frames with <c>success = 0</c> (docs/METHOD.md, "Task 2: facial activation").</summary>
    public double ConfidenceThreshold { get; init; } = 0.8;

    /// <summary>A chunk with fewer usable frame pairs than this gets NaN (no label). 10 pairs = ⅓ s at 30 fps, ⅓ of a 1 s chunk.</summary>
    public int MinFramesPerChunk { get; init; } = 10;

    /// <summary>The frame rate the corpus contract promises (data-manifests/SCHEMA.md: OpenFace CSVs at 30 fps).</summary>
    public double ExpectedFrameRate { get; init; } = 30;

    /// <summary>Relative tolerance on the estimated rate: 5% accepts 29.97 fps and OpenFace's 3-decimal timestamps, rejects 25 fps.</summary>
    public double FrameRateTolerance { get; init; } = 0.05;

    /// <summary>
    /// False (default): a clip at another rate is skipped with a reason, because per-frame displacement scales
    /// with the frame interval and would not be comparable with the training threshold. True: any rate is
    /// accepted and each frame pair's displacement is rescaled to one <see cref="ExpectedFrameRate"/> interval
    /// (divided by Δt·rate); chunks are aligned by timestamp either way.
    /// </summary>
    public bool AcceptAnyFrameRate { get; init; }

    /// <summary>Prefer the OpenFace CSV; fall back to the video when the CSV is absent (or the manifest names a missing CSV).</summary>
    public bool UseVideoWhenNoCsv { get; init; } = true;

    /// <summary>Haar cascade for the face box in videos; null or a missing file means "use <see cref="FaceRegion"/>".</summary>
    public string? CascadePath { get; init; } = DefaultCascadePath;

    /// <summary>The face box used when no cascade is available or the cascade finds no face; null = skip such clips.</summary>
    public FaceRegion? FaceRegion { get; init; }

    /// <summary>A FacemarkLBF model (lbfmodel.yaml). When set, video activation uses 68 landmarks like OpenFace ("video-lbf").</summary>
    public string? LbfModelPath { get; init; }

    /// <summary>Debian/Ubuntu package opencv-data's frontal-face cascade.</summary>
    public const string DefaultCascadePath = VideoFaceActivation.DefaultCascadePath;

    /// <summary>What the face analysis (<see cref="LandmarkActivation"/>, <see cref="VideoFaceActivation"/>) needs of these options.</summary>
    public FaceActivationSettings ActivationSettings() =>
        new(ConfidenceThreshold, ExpectedFrameRate, AcceptAnyFrameRate, CascadePath, FaceRegion, LbfModelPath);
}
