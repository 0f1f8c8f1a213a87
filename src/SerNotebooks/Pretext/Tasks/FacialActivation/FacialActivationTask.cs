using SerNotebooks.Faces;

namespace SerNotebooks.Pretext.Tasks.FacialActivation;

/// <summary>What task 2 saw in one clip: the per-frame activation curve (for charts) or why the clip is unusable.</summary>
public sealed record FacialActivationAnalysis(string ClipId, string Source, ActivationCurve? Curve, string? SkipReason, OpenFaceTrack? Track);

/// <summary>
/// Task 2, facial activation (docs/METHOD.md, "Task 2: facial activation"): per chunk, the mean over the chunk's video
/// frames of the landmark displacement from the previous frame over inter-ocular distance; <i>high</i> when above
/// the training-set median. Frames are aligned to audio chunks by timestamp (StartSeconds ≤ t &lt; EndSeconds).
/// Source per clip: the OpenFace CSV when present, else the video (optical flow, or FacemarkLBF landmarks when
/// a model is configured). Bad face data skips the clip for this task only, with a reason naming the file.
/// </summary>
public sealed class FacialActivationTask(FacialActivationOptions? options = null) : IPretextTask, IPretextTaskClipChart
{
    public const string TaskName = "facial-activation";

    public FacialActivationOptions Options { get; } = options ?? new FacialActivationOptions();

    public string Name => TaskName;

    public string Description =>
        "Facial activation per chunk: landmark displacement between video frames over inter-ocular distance, high when above the training median.";

    public LabelGranularity Granularity => LabelGranularity.Chunk;

    public IReadOnlyList<string> Classes { get; } = ["low", "high"];

    public TaskMeasurement Measure(PretextClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var analysis = Analyse(clip);
        if (analysis.SkipReason is { } reason)
        {
            return TaskMeasurement.Skipped(clip.Id, clip.Speaker, analysis.Source, reason);
        }
        var curve = analysis.Curve!;
        var chunks = curve.ChunkMeans(clip.Chunks, Options.MinFramesPerChunk);
        if (chunks.All(double.IsNaN))
        {
            return TaskMeasurement.Skipped(clip.Id, clip.Speaker, analysis.Source,
                $"{SourceFile(clip, analysis.Source)}: no chunk has {Options.MinFramesPerChunk} usable frame pairs " +
                $"({curve.Values.Length} usable pairs from {curve.FramesInClip} frames)");
        }
        return new TaskMeasurement(clip.Id, clip.Speaker, chunks, null, analysis.Source, null);
    }

    /// <summary>The clip's per-frame activation curve (time, value) and its source, or the reason it has none.</summary>
    public FacialActivationAnalysis Analyse(PretextClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var csvExists = clip.OpenFacePath is { } csv && File.Exists(csv);
        if (csvExists)
        {
            return FromOpenFace(clip.Id, clip.OpenFacePath!);
        }
        if (Options.UseVideoWhenNoCsv && clip.VideoPath is { } video)
        {
            return FromVideo(clip.Id, video);
        }
        var missing = clip.OpenFacePath is { } named
            ? $"{named}: OpenFace CSV not found"
            : "the clip has no OpenFace CSV" + (clip.VideoPath is null ? " and no video" : " (video fallback disabled)");
        return new FacialActivationAnalysis(clip.Id, clip.OpenFacePath is null ? FaceSources.None : FaceSources.OpenFace, null, missing, null);
    }

    public FacialActivationAnalysis FromOpenFace(string clipId, string csvPath)
    {
        OpenFaceTrack track;
        try
        {
            track = OpenFaceCsvReader.Read(csvPath, new OpenFaceColumns { Landmarks = true });
        }
        catch (Exception error) when (error is OpenFaceFormatException or IOException or UnauthorizedAccessException)
        {
            return new FacialActivationAnalysis(clipId, FaceSources.OpenFace, null, FaceDataChecks.Describe(csvPath, error), null);
        }
        var reason = FaceDataChecks.TrackProblem(track, Options.ConfidenceThreshold, Options.ExpectedFrameRate,
            Options.FrameRateTolerance, Options.AcceptAnyFrameRate);
        if (reason is not null)
        {
            return new FacialActivationAnalysis(clipId, FaceSources.OpenFace, null, reason, track);
        }
        var curve = LandmarkActivation.FromTrack(track, Options.ActivationSettings(), track.EstimatedFrameRate);
        return new FacialActivationAnalysis(clipId, FaceSources.OpenFace, curve, null, track);
    }

    public FacialActivationAnalysis FromVideo(string clipId, string videoPath)
    {
        var source = Options.LbfModelPath is null ? FaceSources.VideoFlow : FaceSources.VideoLbf;
        try
        {
            var rate = File.Exists(videoPath) ? VideoFaceActivation.DeclaredFrameRate(videoPath) : double.NaN;
            if (double.IsFinite(rate) && rate > 0 && !Options.AcceptAnyFrameRate
                && FaceDataChecks.RateMismatch(rate, Options.ExpectedFrameRate, Options.FrameRateTolerance))
            {
                return new FacialActivationAnalysis(clipId, source, null,
                    $"{videoPath}: frame rate {rate:0.##} fps, expected {Options.ExpectedFrameRate:0.##} fps " +
                    "(set AcceptAnyFrameRate to rescale per-frame motion)", null);
            }
            var curve = VideoFaceActivation.Measure(videoPath, Options.ActivationSettings());
            return curve.Values.Length == 0
                ? new FacialActivationAnalysis(clipId, source, null, $"{videoPath}: no frame pair gave landmarks", null)
                : new FacialActivationAnalysis(clipId, curve.Source, curve, null, null);
        }
        catch (FaceVideoException error)
        {
            return new FacialActivationAnalysis(clipId, source, null, error.Message, null);
        }
        catch (OpenCvSharp.OpenCVException error)
        {
            return new FacialActivationAnalysis(clipId, source, null, $"{videoPath}: OpenCV cannot decode the video: {error.Message}", null);
        }
    }

    public ITaskLabeller Fit(IReadOnlyList<TaskMeasurement> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return FacialActivationLabeller.FitMedian(training, Options);
    }

    /// <summary>The activation curve (<see cref="FacialActivationCharts.ActivationCurve"/>); null when the clip has no usable face data.</summary>
    public PretextClipChart? ClipChart(PretextClip clip, ITaskLabeller labeller)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var fitted = PretextClipCharts.LabellerOf<FacialActivationLabeller>(labeller, TaskName);
        return FacialActivationCharts.ActivationCurve(clip, this, fitted) is { } chart
            ? new PretextClipChart("activation-curve", $"Facial activation — {clip.Id}", chart)
            : null;
    }

    private static string SourceFile(PretextClip clip, string source) =>
        source == FaceSources.OpenFace ? clip.OpenFacePath ?? clip.Id : clip.VideoPath ?? clip.Id;
}
