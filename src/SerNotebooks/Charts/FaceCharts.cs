using Plotly.NET;
using SerNotebooks.Faces;

namespace SerNotebooks.Charts;

/// <summary>Charts of one clip's OpenFace track.</summary>
public static class FaceCharts
{
    private static readonly string[] Palette = ["#4C78A8", "#E45756", "#54A24B", "#F58518", "#B279A2", "#72B7B2"];

    /// <summary>
    /// Landmark trajectories: for each landmark, its height above the nose bridge (landmark 27) in pixels over time,
    /// one panel per face region (mouth, eyebrows). Measuring from the nose bridge removes most head movement, so
    /// what is left is the lips opening and closing with speech and the brows rising or frowning. Frames the tracker
    /// failed on, or was less than <paramref name="minimumConfidence"/> sure of, are gaps.
    /// </summary>
    /// <exception cref="ArgumentException">The track has no landmark columns.</exception>
    public static GenericChart LandmarkTrajectories(string clipId, OpenFaceTrack track, IReadOnlyList<FaceLandmark>? landmarks = null, double minimumConfidence = 0.8)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (!track.HasLandmarks)
        {
            throw new ArgumentException($"{track.Path}: the track has no landmark columns (read it with OpenFaceColumns {{ Landmarks = true }})", nameof(track));
        }
        var chosen = landmarks ?? FaceLandmark.MouthAndEyebrows;
        var bad = chosen.FirstOrDefault(l => l.Index is < 0 or >= OpenFaceTrack.LandmarkCount);
        if (bad is not null)
        {
            throw new ArgumentException($"landmark {bad.Index} ({bad.Name}) is outside 0..{OpenFaceTrack.LandmarkCount - 1}", nameof(landmarks));
        }
        var regions = chosen.Select(l => l.Region).Distinct(StringComparer.Ordinal).ToList();
        var traces = chosen.Select((landmark, i) =>
        {
            var heights = HeightsAboveNoseBridge(track, landmark.Index, minimumConfidence);
            return (Trace)PanelLayout.Scatter(landmark.Name, track.Timestamps, heights, "lines", Palette[i % Palette.Length])
                .OnPanel(regions.IndexOf(landmark.Region));
        }).ToList();
        var layout = PanelLayout.Create($"Landmark trajectories — {clipId}", "time (s)",
            regions.Select(r => $"{r}: px above nose bridge").ToList(), 900, 300 + 200 * regions.Count);
        return PlotlyObjects.Chart(traces, layout);
    }

    /// <summary>
    /// Per frame: how many pixels landmark <paramref name="index"/> lies above the nose bridge (negative = below),
    /// NaN where the frame is not tracked with at least <paramref name="minimumConfidence"/>.
    /// </summary>
    public static double[] HeightsAboveNoseBridge(OpenFaceTrack track, int index, double minimumConfidence = 0.8)
    {
        ArgumentNullException.ThrowIfNull(track);
        return Enumerable.Range(0, track.FrameCount)
            .Select(f => track.IsTracked(f, minimumConfidence) ? track.LandmarkY[f][FaceLandmark.NoseBridge] - track.LandmarkY[f][index] : double.NaN)
            .ToArray();
    }
}
