using SerNotebooks.Features;
using SerNotebooks.Pretext;

namespace SerNotebooks.Tests.Training;

/// <summary>
/// Deterministic test labels computed from the features, through the same interface the labelling pipeline
/// implements. Thresholds are fitted on the training clips only, as the real tasks do.
/// <list type="bullet">
/// <item><c>energy-std</c> (chunk, 2 classes): chunk's frame-energy std over speech frames above the training median.</item>
/// <item><c>loudness</c> (utterance, 3 classes): mean speech-frame energy by training terciles.</item>
/// <item><c>video-energy</c> (chunk, 2 classes): mean chunk energy above the median, only for clips that have a video
/// (the rest are skipped, like a face task on clips without a face track).</item>
/// </list>
/// </summary>
public sealed class RuleLabelSource : IPretextLabelSource
{
    public static readonly string[] TaskNames = ["energy-std", "loudness", "video-energy"];

    public IReadOnlyList<PretextLabelSet> GetLabelSets(PretextLabelRequest request)
    {
        var clips = request.Manifests.SelectMany(m => m.Entries.Select(e => (Manifest: m, Entry: e))).ToArray();
        var perClip = clips.Select(c =>
        {
            var features = request.Features.Extract(c.Manifest.Resolve(c.Entry.AudioPath));
            var plan = DynamicChunker.Plan(features.Frames, request.Chunking, request.Features.Config.LogMel);
            var energy = DynamicChunker.ExtractSeries<float>(features.LogEnergyDb, plan, float.NaN);
            var speech = DynamicChunker.ExtractSeries(features.SpeechMask, plan, false);
            var std = new double[plan.ChunkCount];
            var mean = new double[plan.ChunkCount];
            for (var k = 0; k < plan.ChunkCount; k++)
            {
                var values = energy[k].Where((_, j) => speech[k][j]).Select(v => (double)v).ToArray();
                mean[k] = values.Length == 0 ? double.NaN : values.Average();
                std[k] = values.Length < 2 ? double.NaN : Math.Sqrt(values.Select(v => (v - mean[k]) * (v - mean[k])).Average());
            }
            var speechEnergy = features.LogEnergyDb.Where((_, t) => features.SpeechMask[t]).Select(v => (double)v).DefaultIfEmpty(double.NaN).Average();
            return (c.Entry, Std: std, Mean: mean, Utterance: speechEnergy);
        }).ToArray();
        var training = perClip.Where(c => request.TrainingClipIds.Contains(c.Entry.Id)).ToArray();
        var stdMedian = Median(training.SelectMany(c => c.Std));
        var meanMedian = Median(training.SelectMany(c => c.Mean));
        var loud = training.Select(c => c.Utterance).Where(double.IsFinite).Order().ToArray();
        var (low, high) = (loud[loud.Length / 3], loud[2 * loud.Length / 3]);

        static int[] Binary(double[] values, double threshold) =>
            values.Select(v => double.IsNaN(v) ? ClipTaskLabels.MissingLabel : v > threshold ? 1 : 0).ToArray();

        var sets = new Dictionary<string, PretextLabelSet>
        {
            ["energy-std"] = new("energy-std", LabelGranularity.Chunk, ["low", "high"], $"{{\"median\":{stdMedian}}}",
                perClip.ToDictionary(c => c.Entry.Id, c => new ClipTaskLabels(c.Entry.Id, Binary(c.Std, stdMedian), ClipTaskLabels.MissingLabel, "audio", null))),
            ["loudness"] = new("loudness", LabelGranularity.Utterance, ["soft", "medium", "loud"], $"{{\"low\":{low},\"high\":{high}}}",
                perClip.ToDictionary(c => c.Entry.Id, c => new ClipTaskLabels(c.Entry.Id, null,
                    double.IsNaN(c.Utterance) ? ClipTaskLabels.MissingLabel : c.Utterance < low ? 0 : c.Utterance < high ? 1 : 2, "audio", null))),
            ["video-energy"] = new("video-energy", LabelGranularity.Chunk, ["low", "high"], $"{{\"median\":{meanMedian}}}",
                perClip.Where(c => c.Entry.VideoPath is not null).ToDictionary(c => c.Entry.Id,
                    c => new ClipTaskLabels(c.Entry.Id, Binary(c.Mean, meanMedian), ClipTaskLabels.MissingLabel, "video", null))),
        };
        return request.TaskNames.Select(n => sets[n]).ToArray();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
