using System.Globalization;
using System.Text;

namespace SerNotebooks.Demo;

/// <summary>
/// Writes the CSV that OpenFace 2.x FeatureExtraction produces for a video with
/// <c>-2Dfp -pose -aus</c>: <c>frame, face_id, timestamp, confidence, success</c>, then
/// <c>pose_Tx..pose_Rz</c>, <c>x_0..x_67</c>, <c>y_0..y_67</c>, the 17 <c>AUxx_r</c> and the 18
/// <c>AUxx_c</c> columns. Like OpenFace 2.0/2.1 (RecorderCSV.cpp) fields are separated by ", "
/// (so every name after the first carries a leading space) and numbers use OpenFace's fixed
/// precisions: timestamp 3 decimals, confidence 2, success 0, pose translation 1 and rotation 3,
/// landmarks 1, AU intensity 2, AU presence 1.
/// </summary>
public static class OpenFaceCsv
{
    public const string Separator = ", ";

    public static IReadOnlyList<string> ColumnNames { get; } = BuildColumns();

    public static string Header { get; } = string.Join(Separator, ColumnNames);

    public static void Write(Stream stream, FaceTrack track)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
        writer.NewLine = "\n";
        writer.WriteLine(Header);
        var line = new StringBuilder(2048);
        for (var i = 0; i < track.Frames.Count; i++)
        {
            var frame = track.Frames[i];
            line.Clear();
            line.Append(i + 1).Append(Separator).Append('0');
            Append(line, frame.Timestamp, "F3");
            Append(line, frame.Confidence, "F2");
            line.Append(Separator).Append(frame.Success ? '1' : '0');
            for (var p = 0; p < 6; p++)
            {
                Append(line, frame.Pose[p], p < 3 ? "F1" : "F3");
            }
            foreach (var value in frame.Landmarks)
            {
                Append(line, value, "F1");
            }
            foreach (var value in frame.Intensities)
            {
                Append(line, value, "F2");
            }
            foreach (var value in frame.Presence)
            {
                Append(line, value, "F1");
            }
            writer.WriteLine(line);
        }
    }

    private static void Append(StringBuilder line, double value, string format)
    {
        // .NET's fixed-point formatting rounds the exact binary value like C++ iostreams do (and prints
        // "-0.0" for a small negative number, as OpenFace does).
        Span<char> buffer = stackalloc char[32];
        if (!value.TryFormat(buffer, out var written, format, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"cannot format {value}");
        }
        line.Append(Separator).Append(buffer[..written]);
    }

    private static List<string> BuildColumns()
    {
        var columns = new List<string> { "frame", "face_id", "timestamp", "confidence", "success",
            "pose_Tx", "pose_Ty", "pose_Tz", "pose_Rx", "pose_Ry", "pose_Rz" };
        for (var i = 0; i < FaceModel.LandmarkCount; i++)
        {
            columns.Add($"x_{i}");
        }
        for (var i = 0; i < FaceModel.LandmarkCount; i++)
        {
            columns.Add($"y_{i}");
        }
        columns.AddRange(FaceModel.IntensityUnits.Select(au => $"AU{au:00}_r"));
        columns.AddRange(FaceModel.PresenceUnits.Select(au => $"AU{au:00}_c"));
        return columns;
    }
}
