using Deedle;

namespace SerNotebooks.Faces;

/// <summary>An OpenFace CSV as a Deedle table for reading: a few chosen columns of its first frames.</summary>
public static class OpenFaceTables
{
    /// <summary>The landmarks shown by default: mouth corners and lips.</summary>
    public static readonly IReadOnlyList<int> DefaultLandmarks = [48, 54, 51, 57];

    /// <summary>The AUs shown by default: the smile (cheek raiser, lip corner puller).</summary>
    public static readonly IReadOnlyList<string> DefaultActionUnits = ["AU06", "AU12"];

    /// <summary>
    /// The first <paramref name="rows"/> frames of the file read by <see cref="OpenFaceCsvReader"/>, keyed by
    /// OpenFace frame number: timestamp, success, confidence, x_i/y_i of <paramref name="landmarks"/>, and
    /// AUxx_r/AUxx_c of <paramref name="actionUnits"/>.
    /// </summary>
    /// <exception cref="OpenFaceFormatException">The file is missing, unreadable or lacks a requested column.</exception>
    public static Frame<int, string> Head(string csvPath, int rows = 8, IReadOnlyList<int>? landmarks = null, IReadOnlyList<string>? actionUnits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var points = landmarks ?? DefaultLandmarks;
        var units = actionUnits ?? DefaultActionUnits;
        var track = OpenFaceCsvReader.Read(csvPath, new OpenFaceColumns
        {
            Landmarks = points.Count > 0,
            AuIntensities = units,
            AuPresences = units,
        });
        var n = Math.Min(rows, track.FrameCount);
        var keys = track.FrameNumbers.Take(n).ToArray();
        var builder = new FrameBuilder.Columns<int, string>();
        void Add<T>(string name, IEnumerable<T> values) => builder.Add(name, new Series<int, T>(keys, values.Take(n).ToArray()));
        Add("timestamp", track.Timestamps);
        Add("success", track.Success.Select(s => s ? 1 : 0));
        Add("confidence", track.Confidence);
        foreach (var point in points)
        {
            Add($"x_{point}", track.LandmarkX.Select(x => x[point]));
            Add($"y_{point}", track.LandmarkY.Select(y => y[point]));
        }
        foreach (var unit in units)
        {
            Add($"{unit}_r", track.AuIntensity[unit]);
        }
        foreach (var unit in units)
        {
            Add($"{unit}_c", track.AuPresence[unit]);
        }
        return builder.Frame;
    }
}
