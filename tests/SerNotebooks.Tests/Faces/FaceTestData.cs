using System.Globalization;
using System.Text;
using SerNotebooks.Data;
using SerNotebooks.Features;
using SerNotebooks.Pretext;

namespace SerNotebooks.Tests.Faces;

/// <summary>One hand-made frame: tracking quality, 68 landmarks, and the AUs that fire (presence 1, intensity given).</summary>
internal sealed record TestFrame(double Timestamp, bool Success, double Confidence, double[] X, double[] Y, IReadOnlyDictionary<int, double> Aus);

/// <summary>Hand-made OpenFace 2.x CSVs and clips with known answers.</summary>
internal static class FaceTestData
{
    /// <summary>
    /// The header OpenFace 2.0/2.1 FeatureExtraction writes with -2Dfp -pose -aus (RecorderCSV.cpp: fields joined
    /// with ", "; AU columns sorted by name, 17 intensities without AU28, 18 presences), verbatim.
    /// </summary>
    public const string OpenFaceHeader =
        "frame, face_id, timestamp, confidence, success, pose_Tx, pose_Ty, pose_Tz, pose_Rx, pose_Ry, pose_Rz, x_0, x_1, x_2, x_3, x_4, x_5, x_6, x_7, x_8, x_9, x_10, x_11, x_12, x_13, x_14, x_15, x_16, x_17, x_18, x_19, x_20, x_21, x_22, x_23, x_24, x_25, x_26, x_27, x_28, x_29, x_30, x_31, x_32, x_33, x_34, x_35, x_36, x_37, x_38, x_39, x_40, x_41, x_42, x_43, x_44, x_45, x_46, x_47, x_48, x_49, x_50, x_51, x_52, x_53, x_54, x_55, x_56, x_57, x_58, x_59, x_60, x_61, x_62, x_63, x_64, x_65, x_66, x_67, y_0, y_1, y_2, y_3, y_4, y_5, y_6, y_7, y_8, y_9, y_10, y_11, y_12, y_13, y_14, y_15, y_16, y_17, y_18, y_19, y_20, y_21, y_22, y_23, y_24, y_25, y_26, y_27, y_28, y_29, y_30, y_31, y_32, y_33, y_34, y_35, y_36, y_37, y_38, y_39, y_40, y_41, y_42, y_43, y_44, y_45, y_46, y_47, y_48, y_49, y_50, y_51, y_52, y_53, y_54, y_55, y_56, y_57, y_58, y_59, y_60, y_61, y_62, y_63, y_64, y_65, y_66, y_67, AU01_r, AU02_r, AU04_r, AU05_r, AU06_r, AU07_r, AU09_r, AU10_r, AU12_r, AU14_r, AU15_r, AU17_r, AU20_r, AU23_r, AU25_r, AU26_r, AU45_r, AU01_c, AU02_c, AU04_c, AU05_c, AU06_c, AU07_c, AU09_c, AU10_c, AU12_c, AU14_c, AU15_c, AU17_c, AU20_c, AU23_c, AU25_c, AU26_c, AU28_c, AU45_c";

    public static readonly int[] IntensityUnits = [1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 45];
    public static readonly int[] PresenceUnits = [1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 28, 45];

    /// <summary>A neutral 68-point face centred at (128, 96): eye centres 60 px apart (landmarks 36–41 and 42–47).</summary>
    public static (double[] X, double[] Y) NeutralFace()
    {
        var x = new double[68];
        var y = new double[68];
        for (var i = 0; i < 68; i++)
        {
            // Jaw, brows, nose and mouth on an ellipse; the eyes are placed exactly below.
            var angle = 2 * Math.PI * i / 68;
            x[i] = 128 + 70 * Math.Cos(angle);
            y[i] = 96 + 90 * Math.Sin(angle);
        }
        for (var k = 0; k < 6; k++)
        {
            var angle = 2 * Math.PI * k / 6;
            x[36 + k] = 98 + 8 * Math.Cos(angle);
            y[36 + k] = 80 + 4 * Math.Sin(angle);
            x[42 + k] = 158 + 8 * Math.Cos(angle);
            y[42 + k] = 80 + 4 * Math.Sin(angle);
        }
        return (x, y);
    }

    /// <summary>Frames at <paramref name="fps"/>; landmarks of frame f moved by <paramref name="move"/>(t) pixels (mouth and brows only).</summary>
    public static List<TestFrame> Frames(int count, double fps, Func<double, double> move, IReadOnlyDictionary<int, double>? aus = null)
    {
        var (baseX, baseY) = NeutralFace();
        var frames = new List<TestFrame>(count);
        for (var f = 0; f < count; f++)
        {
            var t = f / fps;
            var x = (double[])baseX.Clone();
            var y = (double[])baseY.Clone();
            var offset = move(t);
            for (var i = 17; i < 27; i++)
            {
                y[i] -= offset;
            }
            for (var i = 48; i < 68; i++)
            {
                y[i] += offset;
            }
            frames.Add(new TestFrame(t, true, 0.98, x, y, aus ?? new Dictionary<int, double>()));
        }
        return frames;
    }

    public static string CsvText(IEnumerable<TestFrame> frames, string separator = ", ")
    {
        var text = new StringBuilder();
        text.Append(OpenFaceHeader.Replace(", ", separator, StringComparison.Ordinal)).Append('\n');
        var number = 1;
        foreach (var frame in frames)
        {
            var fields = new List<string>
            {
                (number++).ToString(CultureInfo.InvariantCulture), "0", F(frame.Timestamp, 3), F(frame.Confidence, 2), frame.Success ? "1" : "0",
                "0.5", "-2.1", "410.3", "0.052", "-0.013", "0.004",
            };
            fields.AddRange((frame.Success ? frame.X : new double[68]).Select(v => F(v, 1)));
            fields.AddRange((frame.Success ? frame.Y : new double[68]).Select(v => F(v, 1)));
            fields.AddRange(IntensityUnits.Select(au => F(frame.Success ? frame.Aus.GetValueOrDefault(au) : 0, 2)));
            fields.AddRange(PresenceUnits.Select(au => F(frame.Success && frame.Aus.GetValueOrDefault(au) >= 1 ? 1 : 0, 1)));
            text.Append(string.Join(separator, fields)).Append('\n');
        }
        return text.ToString();
    }

    public static string WriteCsv(string folder, string name, IEnumerable<TestFrame> frames)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, CsvText(frames));
        return path;
    }

    /// <summary>A clip of <paramref name="seconds"/> seconds split into <paramref name="chunks"/> 1 s chunks (10 ms hop).</summary>
    public static PretextClip Clip(string id, string? openFacePath, string? videoPath = null, double seconds = 3, int chunks = 3)
    {
        var frames = (int)Math.Round(seconds * 100);
        var plan = DynamicChunker.Plan(frames, new ChunkingConfig { ChunkFrames = 100, ChunkCount = chunks }, 0.01);
        var features = new FeatureSet(new FeatureMatrix(frames, 1), new float[frames], new bool[frames], null, frames * 160, 16000);
        var entry = new ManifestEntry { Id = id, AudioPath = id + ".wav", Speaker = "s1" };
        return new PretextClip(entry, id + ".wav", openFacePath, videoPath, features, plan);
    }

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sernb-faces-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
