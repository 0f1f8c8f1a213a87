using System.Globalization;
using SerNotebooks.Audio;
using SerNotebooks.Data;
using SerNotebooks.Demo;
using Xunit.Abstractions;

namespace SerNotebooks.Tests.Demo;

/// <summary>The latent emotion must show in the signals, measured from the files, without being a copy of the label.</summary>
[Collection(TinyCorpusCollection.Name)]
public class DemoCorpusEmotionTests(TinyCorpusFixture corpus, ITestOutputHelper output)
{
    [Fact]
    public void AngryVoicesAreLouderAndHigherThanSadOnesOfTheSameActorAndSentence()
    {
        var manifest = Manifest.Load(Path.Combine(corpus.Root, DemoCorpusGenerator.CremaManifestFolder));
        (double Energy, double F0) Measure(ManifestEntry e)
        {
            var signal = WavAudioLoader.Load(manifest.Resolve(e.AudioPath));
            return (AcousticProbe.LoudnessDb(signal), 12 * Math.Log2(AcousticProbe.MedianF0(signal) / 100));
        }
        var sad = manifest.Entries.Where(e => e.Emotion == "sadness").ToDictionary(e => (e.Speaker, e.Sentence, e.Level));
        var pairs = manifest.Entries.Where(e => e.Emotion == "anger")
            .Select(a => (Anger: Measure(a), Sadness: Measure(sad[(a.Speaker, a.Sentence, a.Level)])))
            .ToList();
        var energyDifferences = pairs.Select(p => p.Anger.Energy - p.Sadness.Energy).ToList();
        var f0Differences = pairs.Select(p => p.Anger.F0 - p.Sadness.F0).ToList();
        var energyT = PairedT(energyDifferences);
        var f0T = PairedT(f0Differences);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{pairs.Count} anger/sadness pairs: loudness +{energyDifferences.Average():F1} dB (t = {energyT:F1}), F0 +{f0Differences.Average():F1} st (t = {f0T:F1})"));
        Assert.True(pairs.Count >= 8);
        Assert.True(energyT > 3, $"anger should be louder than sadness (paired t = {energyT:F2})");
        Assert.True(f0T > 3, $"anger should be higher-pitched than sadness (paired t = {f0T:F2})");
    }

    private static double PairedT(IReadOnlyCollection<double> differences)
    {
        var mean = differences.Average();
        var variance = differences.Sum(d => (d - mean) * (d - mean)) / (differences.Count - 1);
        return mean / Math.Sqrt(variance / differences.Count);
    }

    [Fact]
    public void EnergyVariationFollowsArousalWithoutCopyingIt()
    {
        var manifest = Manifest.Load(Path.Combine(corpus.Root, DemoCorpusGenerator.PretrainingManifestFolder));
        var arousal = new List<double>();
        var variation = new List<double>();
        foreach (var entry in manifest.Entries)
        {
            arousal.Add(double.Parse(entry.Extras["latent_arousal"], CultureInfo.InvariantCulture));
            variation.Add(AcousticProbe.SpeechEnergyStdDb(WavAudioLoader.Load(manifest.Resolve(entry.AudioPath))));
        }
        var rho = AcousticProbe.Spearman(arousal, variation);
        output.WriteLine($"Spearman(latent arousal, energy std) = {rho:F2} over {arousal.Count} unlabelled clips");
        Assert.InRange(rho, 0.3, 0.95);
    }
}
