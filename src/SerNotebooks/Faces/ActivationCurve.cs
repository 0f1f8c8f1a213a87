using SerNotebooks.Features;

namespace SerNotebooks.Faces;

/// <summary>
/// Per-frame facial activation of one clip: at each time (the later frame of a usable frame pair, seconds) the
/// face's movement since the previous frame, normalised by face size. Used for chunk values and charts.
/// </summary>
public sealed record ActivationCurve(double[] Times, double[] Values, string Source, double FrameRate, int FramesInClip, int UsableFrames)
{
    /// <summary>Mean activation of each chunk over the frames with StartSeconds ≤ t &lt; EndSeconds; NaN with fewer than <paramref name="minFrames"/>.</summary>
    public double[] ChunkMeans(ChunkPlan plan, int minFrames)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var means = new double[plan.ChunkCount];
        for (var k = 0; k < plan.ChunkCount; k++)
        {
            var chunk = plan.Chunks[k];
            double sum = 0;
            var count = 0;
            for (var i = 0; i < Times.Length; i++)
            {
                if (Times[i] >= chunk.StartSeconds && Times[i] < chunk.EndSeconds)
                {
                    sum += Values[i];
                    count++;
                }
            }
            means[k] = count >= Math.Max(1, minFrames) ? sum / count : double.NaN;
        }
        return means;
    }
}
