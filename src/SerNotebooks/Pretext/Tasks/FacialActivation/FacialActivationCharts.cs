using Plotly.NET;
using SerNotebooks.Charts;

namespace SerNotebooks.Pretext.Tasks.FacialActivation;

/// <summary>Task 2 drawn for one clip: the per-frame activation curve, the chunk means and the fitted threshold.</summary>
public static class FacialActivationCharts
{
    /// <summary>
    /// Task 2 for one clip, from the face task's own analysis: the per-frame activation curve, its source's fitted
    /// threshold, and the chunk means the labels come from. Null when the clip has no usable face data.
    /// </summary>
    public static GenericChart? ActivationCurve(PretextClip clip, FacialActivationTask task, FacialActivationLabeller labeller)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(labeller);
        var analysis = task.Analyse(clip);
        if (analysis.Curve is not { } curve)
        {
            return null;
        }
        var threshold = labeller.ThresholdFor(analysis.Source);
        if (double.IsNaN(threshold))
        {
            return null;
        }
        var spans = clip.Chunks.Chunks.Select(c => new ChunkSpan(c.StartSeconds, c.EndSeconds)).ToArray();
        return PretextCharts.ActivationCurve($"{clip.Id} ({analysis.Source})", curve.Times, curve.Values, threshold, spans,
            curve.ChunkMeans(clip.Chunks, task.Options.MinFramesPerChunk));
    }
}
