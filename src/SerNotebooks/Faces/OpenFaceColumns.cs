namespace SerNotebooks.Faces;

/// <summary>
/// Which OpenFace columns a caller needs. Only these must exist (in any order) and a frame is dropped when one of
/// them is empty or NaN; everything else in the file is ignored, except that <see cref="AllActionUnits"/> also
/// reads every AU column present (for charts) without requiring any.
/// </summary>
public sealed record OpenFaceColumns
{
    /// <summary><c>success</c> and <c>confidence</c>: needed by every task that drops failed frames.</summary>
    public bool TrackingQuality { get; init; } = true;

    /// <summary>The 68 2D landmarks <c>x_0..x_67</c>, <c>y_0..y_67</c> (OpenFace flag -2Dfp).</summary>
    public bool Landmarks { get; init; }

    /// <summary>AU names ("AU06") whose intensity column <c>AUxx_r</c> must exist.</summary>
    public IReadOnlyList<string> AuIntensities { get; init; } = [];

    /// <summary>AU names ("AU06") whose presence column <c>AUxx_c</c> must exist.</summary>
    public IReadOnlyList<string> AuPresences { get; init; } = [];

    /// <summary>Also read every other AU column in the file (values that do not parse become NaN, frames are not dropped).</summary>
    public bool AllActionUnits { get; init; }
}
