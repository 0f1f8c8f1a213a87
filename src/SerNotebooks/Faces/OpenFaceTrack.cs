namespace SerNotebooks.Faces;

/// <summary>Why a frame of an OpenFace CSV was dropped or flagged while reading.</summary>
public enum FrameProblemKind
{
    /// <summary>A needed value is empty (a truncated or hand-edited row).</summary>
    MissingValue,

    /// <summary>A needed value is NaN, infinite or not a number.</summary>
    NotANumber,

    /// <summary>The frame's timestamp or frame number does not increase (duplicate or out-of-order row).</summary>
    NotIncreasing,

    /// <summary>A row of a second tracked face (face_id other than the first face's); kept out of this track.</summary>
    OtherFace,

    /// <summary>Frame numbers skip (frames missing from the file); the frame itself is kept.</summary>
    Gap,
}

/// <summary>One per-frame finding: the CSV line, the OpenFace frame number (when known), what and why.</summary>
public sealed record FrameProblem(int Line, int? Frame, FrameProblemKind Kind, string Reason)
{
    public override string ToString() => $"line {Line}{(Frame is { } f ? $" (frame {f})" : "")}: {Reason}";
}

/// <summary>
/// The frames of one OpenFace 2.x FeatureExtraction CSV that could be read, in file order. Frames whose needed
/// values were missing or NaN are already dropped (and listed in <see cref="Problems"/>); frames the tracker
/// failed on (<c>success = 0</c>) or was unsure about (low <c>confidence</c>) are kept, because how to treat them
/// is the caller's choice. Arrays that the file did not have columns for are empty.
/// </summary>
public sealed class OpenFaceTrack
{
    public const int LandmarkCount = 68;

    public required string Path { get; init; }

    /// <summary>OpenFace <c>frame</c> (1-based); row order + 1 when the file has no frame column.</summary>
    public required int[] FrameNumbers { get; init; }

    /// <summary>Seconds from the start of the video.</summary>
    public required double[] Timestamps { get; init; }

    public required bool[] Success { get; init; }

    public required double[] Confidence { get; init; }

    /// <summary>Per frame the 68 landmark x coordinates (pixels); empty when the file has no landmark columns.</summary>
    public required double[][] LandmarkX { get; init; }

    /// <summary>Per frame the 68 landmark y coordinates (pixels); empty when the file has no landmark columns.</summary>
    public required double[][] LandmarkY { get; init; }

    /// <summary>AU intensity (<c>AUxx_r</c>, 0–5) per AU name ("AU06") — one value per frame.</summary>
    public required IReadOnlyDictionary<string, double[]> AuIntensity { get; init; }

    /// <summary>AU presence (<c>AUxx_c</c>, 0 or 1) per AU name ("AU06") — one value per frame.</summary>
    public required IReadOnlyDictionary<string, double[]> AuPresence { get; init; }

    /// <summary>Rows in the file (data lines), before any frame was dropped.</summary>
    public required int RowsInFile { get; init; }

    public required IReadOnlyList<FrameProblem> Problems { get; init; }

    /// <summary>
    /// Frames per second estimated from the timestamps: the median of Δtimestamp/Δframe over consecutive kept
    /// frames, inverted. NaN when fewer than two frames remain.
    /// </summary>
    public required double EstimatedFrameRate { get; init; }

    public int FrameCount => Timestamps.Length;

    public bool HasLandmarks => LandmarkX.Length == FrameCount && FrameCount > 0;

    /// <summary>Whether the tracker's frame <paramref name="index"/> is usable: success and confidence at least <paramref name="minimumConfidence"/>.</summary>
    public bool IsTracked(int index, double minimumConfidence) => Success[index] && Confidence[index] >= minimumConfidence;

    /// <summary>Problems counted by kind, for reports ("3 NaN, 2 gaps").</summary>
    public IReadOnlyDictionary<FrameProblemKind, int> ProblemCounts =>
        Problems.GroupBy(p => p.Kind).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>A one-line summary of dropped/flagged frames, or null when the file was clean.</summary>
    public string? DescribeProblems()
    {
        if (Problems.Count == 0)
        {
            return null;
        }
        var first = Problems[0];
        return string.Join(", ", ProblemCounts.OrderBy(p => p.Key).Select(p => $"{p.Value} {p.Key}")) + $" (first: {first})";
    }
}
