namespace SerNotebooks.Faces;

/// <summary>AU intensities of one clip over time (rows = frames, columns = AUs), for heatmaps; NaN where unknown.</summary>
public sealed record AuIntensityMatrix(double[] Times, IReadOnlyList<string> ActionUnits, double[,] Values)
{
    /// <summary>Every <c>AUxx_r</c> column the track has, in AU order; frames the tracker failed on are included (their rows are what OpenFace wrote).</summary>
    public static AuIntensityMatrix FromTrack(OpenFaceTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        var units = track.AuIntensity.Keys.Order(StringComparer.Ordinal).ToArray();
        var values = new double[track.FrameCount, units.Length];
        for (var a = 0; a < units.Length; a++)
        {
            var series = track.AuIntensity[units[a]];
            for (var f = 0; f < track.FrameCount; f++)
            {
                values[f, a] = series[f];
            }
        }
        return new AuIntensityMatrix((double[])track.Timestamps.Clone(), units, values);
    }

    /// <summary>AU-major rows (one array per AU, over time): the z layout Plotly heatmaps take with AUs on the y axis.</summary>
    public double[][] ByActionUnit() =>
        Enumerable.Range(0, ActionUnits.Count)
            .Select(a => Enumerable.Range(0, Times.Length).Select(f => Values[f, a]).ToArray())
            .ToArray();
}
