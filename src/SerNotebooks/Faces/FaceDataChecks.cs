namespace SerNotebooks.Faces;

/// <summary>Clip-level checks shared by the face tasks; every reason names the file.</summary>
public static class FaceDataChecks
{
    public static bool RateMismatch(double rate, double expected, double tolerance) =>
        !double.IsFinite(rate) || Math.Abs(rate - expected) > tolerance * expected;

    /// <summary>Why a track cannot be used at all, or null: no frames, every frame failed, a wrong frame rate.</summary>
    public static string? TrackProblem(OpenFaceTrack track, double confidenceThreshold, double expectedRate, double rateTolerance, bool acceptAnyRate)
    {
        if (track.FrameCount == 0)
        {
            return $"{track.Path}: no readable frame in {track.RowsInFile} row(s): {track.DescribeProblems()}";
        }
        var tracked = Enumerable.Range(0, track.FrameCount).Count(i => track.IsTracked(i, confidenceThreshold));
        if (tracked == 0)
        {
            var failed = track.Success.Count(s => !s);
            return $"{track.Path}: every frame failed: {failed} of {track.FrameCount} with success = 0, " +
                   $"{track.FrameCount - failed} more with confidence < {confidenceThreshold:0.##}";
        }
        if (track.FrameCount < 2)
        {
            return $"{track.Path}: only one frame; the frame rate and frame-to-frame motion are undefined";
        }
        var rate = track.EstimatedFrameRate;
        if (!acceptAnyRate && RateMismatch(rate, expectedRate, rateTolerance))
        {
            return $"{track.Path}: frame rate {rate:0.##} fps (estimated from timestamps), expected {expectedRate:0.##} fps";
        }
        return null;
    }

    public static string Describe(string path, Exception error) => error switch
    {
        OpenFaceFormatException format => format.Message,
        _ => $"{path}: cannot read the file: {error.Message}",
    };
}
