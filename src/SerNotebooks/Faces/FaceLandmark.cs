namespace SerNotebooks.Faces;

/// <summary>One of OpenFace's 68 landmarks (iBUG 300-W numbering, 0-based as in the CSV's x_i/y_i), named for people.</summary>
/// <param name="Index">0..67.</param>
/// <param name="Name">What it is, e.g. "upper lip (51)"; left/right as seen in the image.</param>
/// <param name="Region">Which part of the face it belongs to ("mouth", "eyebrows"), for grouping in charts.</param>
public sealed record FaceLandmark(int Index, string Name, string Region)
{
    /// <summary>Landmark 27, the top of the nose bridge: it barely moves with expressions, so positions are read relative to it.</summary>
    public const int NoseBridge = 27;

    /// <summary>The points that move with speech and expressions: lips and mouth corners, and the eyebrows.</summary>
    public static IReadOnlyList<FaceLandmark> MouthAndEyebrows { get; } =
    [
        new(51, "upper lip (51)", "mouth"),
        new(57, "lower lip (57)", "mouth"),
        new(48, "mouth corner, image left (48)", "mouth"),
        new(54, "mouth corner, image right (54)", "mouth"),
        new(19, "eyebrow, image left (19)", "eyebrows"),
        new(24, "eyebrow, image right (24)", "eyebrows"),
    ];
}
