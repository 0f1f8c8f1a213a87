using Plotly.NET;
using SerNotebooks.Charts;
using SerNotebooks.Features;
using SerNotebooks.Models;
using SerNotebooks.Training;
using TorchSharp;

namespace SerNotebooks.Pretext.Tasks.FacialActivationRegression;

/// <summary>One chunk of a clip: its span, the regression head's prediction and the target (both standardised; NaN = no target).</summary>
public sealed record ChunkActivationPrediction(int Chunk, double StartSeconds, double EndSeconds, double Predicted, double Target);

/// <summary>
/// Predicted against true activation for one clip of a finished pre-training run that trained
/// <see cref="FacialActivationRegressionTask"/>: the run's best model (encoder and heads, <c>checkpoints/best.model</c>)
/// applied to the clip, against the targets the run trained on (<c>labels/</c>).
/// </summary>
public static class ActivationPredictions
{
    /// <exception cref="ArgumentException">The run did not train the regression task, or the clip is not one of its clips.</exception>
    public static IReadOnlyList<ChunkActivationPrediction> ForClip(string runDirectory, string clipId)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(clipId);
        var folder = new RunFolder(runDirectory);
        var config = RunFolder.ReadJson<TrainingConfig>(folder.ConfigPath)
            ?? throw new ArgumentException($"{folder.ConfigPath}: missing", nameof(runDirectory));
        if (!config.Tasks.Any(t => t.Name == FacialActivationRegressionTask.TaskName))
        {
            throw new ArgumentException($"{runDirectory} did not pre-train {FacialActivationRegressionTask.TaskName}", nameof(runDirectory));
        }
        var sets = config.Tasks.Select(t => PretextLabelSetFile.Read(folder.LabelsDirectory, t.Name)).ToList();
        var clip = TrainingRun.SelectClips(config).Where(c => c.Entry.Id == clipId).ToList();
        if (clip.Count == 0)
        {
            throw new ArgumentException($"clip '{clipId}' is not one of the run's clips", nameof(clipId));
        }
        var extractor = new FeatureExtractor(cache: config.FeatureCache is null ? null : new FeatureCache(config.FeatureCache));
        using var dataset = ChunkedDataset.Build(clip, extractor, config.Chunking);
        dataset.Normalize(RunFolder.ReadJson<FeatureNormalization>(folder.NormalizationPath)
            ?? throw new ArgumentException($"{folder.NormalizationPath}: missing", nameof(runDirectory)));
        using var model = new PretrainingModel(config.Model,
            sets.Select(s => new PretextHeadSpec(s.TaskName, s.Granularity, s.Classes.Count, s.Kind)).ToArray());
        ModelFiles.Load(model, folder.BestModelPath);
        model.eval();
        float[] predicted;
        using (torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            predicted = model.forward(dataset.Inputs, dataset.ChunkMask)[FacialActivationRegressionTask.TaskName].reshape(-1).data<float>().ToArray();
        }
        var features = extractor.Extract(clip[0].Manifest.Resolve(clip[0].Entry.AudioPath));
        var plan = DynamicChunker.Plan(features.Frames, config.Chunking, extractor.Config.LogMel);
        var targets = sets.Single(s => s.TaskName == FacialActivationRegressionTask.TaskName).ByClip.TryGetValue(clipId, out var labels)
            ? labels.ChunkTargets
            : null;
        return plan.Chunks.Select(c => new ChunkActivationPrediction(c.Index, c.StartSeconds, c.EndSeconds, predicted[c.Index],
            targets?[c.Index] ?? double.NaN)).ToList();
    }

    /// <summary>
    /// The first clip (in manifest order) of the run's pretext dev speakers, held out from training, whose targets cover
    /// the most chunks.
    /// </summary>
    /// <exception cref="ArgumentException">The run has no dev clip with a target.</exception>
    public static string HeldOutClip(string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        var folder = new RunFolder(runDirectory);
        var config = RunFolder.ReadJson<TrainingConfig>(folder.ConfigPath)
            ?? throw new ArgumentException($"{folder.ConfigPath}: missing", nameof(runDirectory));
        var targets = PretextLabelSetFile.Read(folder.LabelsDirectory, FacialActivationRegressionTask.TaskName).ByClip;
        return TrainingRun.SelectClips(config)
            .Where(c => c.Split == TrainingRun.DevRole && targets.ContainsKey(c.Entry.Id))
            .Select(c => (c.Entry.Id, Chunks: targets[c.Entry.Id].ChunkTargets?.Count(double.IsFinite) ?? 0))
            .Where(c => c.Chunks > 0)
            .MaxBy(c => c.Chunks).Id
            ?? throw new ArgumentException($"{runDirectory}: no pretext dev clip has an activation target", nameof(runDirectory));
    }

    /// <summary>The true and the predicted standardised activation over the clip's time, one point per chunk (at its centre).</summary>
    public static GenericChart Chart(IReadOnlyList<ChunkActivationPrediction> chunks, string clipId)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var centres = chunks.Select(c => (c.StartSeconds + c.EndSeconds) / 2).ToArray();
        Trace2D Line(string name, IEnumerable<double> y)
        {
            var trace = new Trace2D("scatter");
            trace.SetProperty("name", name);
            trace.SetProperty("mode", "lines+markers");
            trace.SetProperty("x", centres);
            trace.SetProperty("y", y.Select(v => double.IsFinite(v) ? v : (double?)null).ToArray());
            return trace;
        }
        return PlotlyObjects.Chart(
            [Line("true activation", chunks.Select(c => c.Target)), Line("predicted", chunks.Select(c => c.Predicted))],
            PlotlyObjects.Layout($"Facial activation of {clipId}: predicted vs true (standardised)",
                PlotlyObjects.Axis("time (s, chunk centre)"), PlotlyObjects.Axis("activation (z-score)")));
    }
}
