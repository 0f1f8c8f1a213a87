namespace SerNotebooks.Faces;

/// <summary>A fixed face box in video pixels, used when no Haar cascade is available (or it finds no face).</summary>
public sealed record FaceRegion(int X, int Y, int Width, int Height);
