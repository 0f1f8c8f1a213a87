namespace SerNotebooks.Demo;

/// <summary>
/// A 68-point face in the iBUG 300-W / OpenFace landmark order (jaw 0-16, brows 17-26, nose 27-35,
/// eyes 36-47, outer lips 48-59, inner lips 60-67) plus five forehead points used only for drawing.
/// Coordinates are in units of the distance between the eye centres, origin between the eyes, y down;
/// z is depth (negative toward the camera) for the head-pose projection.
/// </summary>
public static class FaceModel
{
    public const int LandmarkCount = 68;
    public const int RenderPointCount = 73;

    /// <summary>Action units whose intensity OpenFace 2 regresses (the <c>_r</c> columns), sorted.</summary>
    public static IReadOnlyList<int> IntensityUnits { get; } = [1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 45];

    /// <summary>Action units whose presence OpenFace 2 classifies (the <c>_c</c> columns), sorted: AU28 has no intensity.</summary>
    public static IReadOnlyList<int> PresenceUnits { get; } = [1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 28, 45];

    /// <summary>Index of an AU in <see cref="PresenceUnits"/> (the animator's internal AU order).</summary>
    public static int UnitIndex(int actionUnit)
    {
        for (var i = 0; i < PresenceUnits.Count; i++)
        {
            if (PresenceUnits[i] == actionUnit)
            {
                return i;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(actionUnit), actionUnit, "not an OpenFace 2 action unit");
    }

    private static readonly int[] MirrorMap = BuildMirror();

    /// <summary>Index of the landmark mirrored across the face midline.</summary>
    public static int Mirror(int landmark) => MirrorMap[landmark];

    /// <summary>The speaker's neutral face (x, y, z per point).</summary>
    public static (double X, double Y, double Z)[] NeutralShape(SpeakerProfile speaker)
    {
        var points = new (double X, double Y, double Z)[RenderPointCount];
        for (var i = 0; i <= 16; i++)
        {
            var phi = Math.PI * (1 - i / 16.0);
            var c = Math.Cos(phi);
            var s = Math.Sin(phi);
            points[i] = (1.02 * Math.Sign(c) * Math.Pow(Math.Abs(c), 0.8) * speaker.FaceWidthRatio,
                1.85 * Math.Pow(Math.Abs(s), 1.3) * speaker.FaceLengthRatio,
                0.6 * Math.Pow(Math.Abs(c), 1.5));
        }
        var brow = speaker.BrowHeight;
        SetPair(points, 17, -0.90, -0.30 - brow, 0.05);
        SetPair(points, 18, -0.75, -0.42 - brow, -0.05);
        SetPair(points, 19, -0.55, -0.47 - brow, -0.1);
        SetPair(points, 20, -0.35, -0.45 - brow, -0.12);
        SetPair(points, 21, -0.15, -0.38 - brow, -0.12);
        var l = speaker.FaceLengthRatio;
        points[27] = (0, -0.02, -0.15);
        points[28] = (0, 0.25 * l, -0.3);
        points[29] = (0, 0.5 * l, -0.45);
        points[30] = (0, 0.78 * l, -0.6);
        SetPair(points, 31, -0.22, 0.9 * l, -0.3);
        SetPair(points, 32, -0.11, 0.94 * l, -0.4);
        points[33] = (0, 0.96 * l, -0.45);
        var eye = speaker.EyeOpening;
        SetPair(points, 36, -0.74, 0, 0.05);
        SetPair(points, 37, -0.60, -0.09 * eye, -0.02);
        SetPair(points, 38, -0.40, -0.09 * eye, -0.02);
        SetPair(points, 39, -0.26, 0, 0);
        SetPair(points, 40, -0.40, 0.07 * eye, -0.01);
        SetPair(points, 41, -0.60, 0.07 * eye, -0.01);
        var m = speaker.MouthWidthRatio;
        SetPair(points, 48, -0.42 * m, 1.30 * l, -0.15);
        SetPair(points, 49, -0.26 * m, 1.22 * l, -0.25);
        SetPair(points, 50, -0.10 * m, 1.18 * l, -0.3);
        points[51] = (0, 1.20 * l, -0.32);
        SetPair(points, 59, -0.26 * m, 1.40 * l, -0.22);
        SetPair(points, 58, -0.10 * m, 1.45 * l, -0.27);
        points[57] = (0, 1.46 * l, -0.28);
        SetPair(points, 60, -0.35 * m, 1.30 * l, -0.18);
        SetPair(points, 61, -0.10 * m, 1.28 * l, -0.25);
        points[62] = (0, 1.28 * l, -0.26);
        SetPair(points, 67, -0.10 * m, 1.32 * l, -0.25);
        points[66] = (0, 1.32 * l, -0.26);
        points[68] = (-0.95, -0.75, 0.3);
        points[69] = (-0.55, -1.1, 0.1);
        points[70] = (0, -1.2, 0.05);
        points[71] = (0.55, -1.1, 0.1);
        points[72] = (0.95, -0.75, 0.3);
        return points;
    }

    private static void SetPair((double X, double Y, double Z)[] points, int index, double x, double y, double z)
    {
        points[index] = (x, y, z);
        points[Mirror(index)] = (-x, y, z);
    }

    /// <summary>
    /// Landmark displacements (unit face coordinates) of each action unit at full intensity (5),
    /// given for the image-left half and centre points; the other half is mirrored.
    /// </summary>
    private static readonly (int Au, int Landmark, double Dx, double Dy)[] UnitDisplacements =
    [
        (1, 21, 0, -0.13), (1, 20, 0, -0.08), (1, 19, 0, -0.03),
        (2, 17, 0, -0.13), (2, 18, 0, -0.11), (2, 19, 0, -0.06),
        (4, 21, 0.05, 0.11), (4, 20, 0.03, 0.1), (4, 19, 0.01, 0.08), (4, 18, 0, 0.05), (4, 17, 0, 0.03),
        (5, 37, 0, -0.05), (5, 38, 0, -0.05), (5, 21, 0, -0.02),
        (6, 40, 0, -0.035), (6, 41, 0, -0.035), (6, 48, -0.02, -0.03), (6, 36, 0, -0.01),
        (7, 37, 0, 0.03), (7, 38, 0, 0.03), (7, 40, 0, -0.03), (7, 41, 0, -0.03),
        (9, 31, 0, -0.05), (9, 32, 0, -0.05), (9, 33, 0, -0.05), (9, 21, 0.01, 0.05), (9, 50, 0, -0.04), (9, 51, 0, -0.04),
        (10, 49, 0, -0.06), (10, 50, 0, -0.07), (10, 51, 0, -0.07), (10, 61, 0, -0.06), (10, 62, 0, -0.06),
        (12, 48, -0.09, -0.07), (12, 60, -0.07, -0.05), (12, 49, -0.03, -0.03), (12, 59, -0.03, -0.02),
        (14, 48, -0.03, 0), (14, 60, -0.02, 0),
        (15, 48, 0, 0.08), (15, 60, 0, 0.06), (15, 59, 0, 0.03),
        (17, 8, 0, -0.05), (17, 7, 0, -0.04), (17, 57, 0, -0.05), (17, 58, 0, -0.05), (17, 66, 0, -0.03), (17, 67, 0, -0.03),
        (20, 48, -0.1, 0.02), (20, 60, -0.08, 0.02), (20, 59, -0.04, 0.01), (20, 49, -0.03, 0),
        (23, 49, 0.01, 0.02), (23, 50, 0, 0.025), (23, 51, 0, 0.025), (23, 58, 0, -0.025), (23, 57, 0, -0.025),
        (23, 59, 0.01, -0.02), (23, 48, 0.03, 0), (23, 60, 0.03, 0),
        (25, 66, 0, 0.05), (25, 67, 0, 0.045), (25, 62, 0, -0.01), (25, 61, 0, -0.01),
        (26, 8, 0, 0.22), (26, 7, 0, 0.2), (26, 6, 0, 0.16), (26, 5, 0, 0.1), (26, 4, 0, 0.05),
        (26, 57, 0, 0.2), (26, 58, 0, 0.19), (26, 59, 0, 0.15), (26, 66, 0, 0.21), (26, 67, 0, 0.2), (26, 48, 0, 0.07), (26, 60, 0, 0.08),
    ];

    private static readonly Dictionary<int, (int Landmark, double Dx, double Dy)[]> DisplacementsByUnit = BuildDisplacements();

    /// <summary>Adds an action unit's displacement at an OpenFace intensity (0..5).</summary>
    public static void ApplyUnit((double X, double Y, double Z)[] points, int actionUnit, double intensity)
    {
        if (intensity <= 0 || !DisplacementsByUnit.TryGetValue(actionUnit, out var displacements))
        {
            return;
        }
        var w = intensity / 5.0;
        foreach (var (landmark, dx, dy) in displacements)
        {
            points[landmark].X += dx * w;
            points[landmark].Y += dy * w;
        }
    }

    /// <summary>Speech articulation: jaw opening (0..1), lip rounding (0..1), lip closure (0..1), blink (0..1).</summary>
    public static void ApplyArticulation((double X, double Y, double Z)[] points, double jaw, double rounding, double closure, double blink)
    {
        for (var i = 2; i <= 14; i++)
        {
            var w = Math.Pow(Math.Sin(Math.PI * i / 16), 2);
            points[i].Y += 0.26 * jaw * w;
        }
        foreach (var i in (int[])[55, 56, 57, 58, 59])
        {
            points[i].Y += 0.24 * jaw;
        }
        foreach (var i in (int[])[65, 66, 67])
        {
            points[i].Y += 0.26 * jaw;
        }
        foreach (var i in (int[])[61, 62, 63])
        {
            points[i].Y -= 0.02 * jaw;
        }
        foreach (var i in (int[])[48, 54, 60, 64])
        {
            points[i].Y += 0.1 * jaw;
        }
        if (closure > 0)
        {
            // Bilabials: inner lips meet and outer lips press together.
            for (var k = 0; k < 3; k++)
            {
                var upper = 61 + k;
                var lower = 67 - k;
                var mid = (points[upper].Y + points[lower].Y) / 2;
                points[upper].Y += (mid - points[upper].Y) * closure;
                points[lower].Y += (mid - points[lower].Y) * closure;
            }
            foreach (var i in (int[])[55, 56, 57, 58, 59])
            {
                points[i].Y -= 0.2 * jaw * closure;
            }
        }
        if (rounding > 0)
        {
            foreach (var (i, amount) in (ReadOnlySpan<(int, double)>)[(48, 0.12), (54, -0.12), (60, 0.1), (64, -0.1), (49, 0.05), (53, -0.05), (59, 0.05), (55, -0.05)])
            {
                points[i].X += amount * rounding;
            }
        }
        if (blink > 0)
        {
            foreach (var (upper, lower) in (ReadOnlySpan<(int, int)>)[(37, 41), (38, 40), (43, 47), (44, 46)])
            {
                points[upper].Y += (points[lower].Y - points[upper].Y) * 0.9 * blink;
            }
        }
    }

    private static Dictionary<int, (int, double, double)[]> BuildDisplacements()
    {
        var result = new Dictionary<int, List<(int, double, double)>>();
        foreach (var (au, landmark, dx, dy) in UnitDisplacements)
        {
            if (!result.TryGetValue(au, out var list))
            {
                result[au] = list = [];
            }
            list.Add((landmark, dx, dy));
            var mirror = Mirror(landmark);
            if (mirror != landmark)
            {
                list.Add((mirror, -dx, dy));
            }
        }
        return result.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }

    private static int[] BuildMirror()
    {
        var map = Enumerable.Range(0, RenderPointCount).ToArray();
        void Pair(int a, int b)
        {
            map[a] = b;
            map[b] = a;
        }
        for (var i = 0; i <= 7; i++)
        {
            Pair(i, 16 - i);
        }
        for (var i = 0; i < 5; i++)
        {
            Pair(17 + i, 26 - i);
        }
        Pair(31, 35);
        Pair(32, 34);
        Pair(36, 45);
        Pair(37, 44);
        Pair(38, 43);
        Pair(39, 42);
        Pair(40, 47);
        Pair(41, 46);
        Pair(48, 54);
        Pair(49, 53);
        Pair(50, 52);
        Pair(55, 59);
        Pair(56, 58);
        Pair(60, 64);
        Pair(61, 63);
        Pair(65, 67);
        Pair(68, 72);
        Pair(69, 71);
        return map;
    }
}
