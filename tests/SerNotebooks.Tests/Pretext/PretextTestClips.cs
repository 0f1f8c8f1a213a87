using SerNotebooks.Audio;
using SerNotebooks.Data;
using SerNotebooks.Features;
using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.EnergyVariation;

namespace SerNotebooks.Tests.Pretext;

/// <summary>Synthetic audio with known energy behaviour, turned into pretext clips the way the pipeline does.</summary>
internal static class PretextTestClips
{
    public const int SampleRate = 16_000;

    /// <summary>A 200 Hz sine of constant amplitude: every frame has the same log-energy.</summary>
    public static float[] ConstantTone(double seconds, double amplitude = 0.3)
    {
        var samples = new float[(int)(seconds * SampleRate)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * 200 * i / SampleRate));
        }
        return samples;
    }

    /// <summary>A 200 Hz sine whose amplitude swings between 0.5 and 0.5/<paramref name="depth"/> at 3 Hz: large energy variation, always speech.</summary>
    public static float[] ModulatedTone(double seconds, double depth = 20, double rateHz = 3)
    {
        var samples = new float[(int)(seconds * SampleRate)];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = i / (double)SampleRate;
            // Log-domain modulation: the dB level follows a sine, so the energy std is large and stable.
            var gain = Math.Pow(depth, -0.5 * (1 + Math.Sin(2 * Math.PI * rateHz * t)));
            samples[i] = (float)(0.5 * gain * Math.Sin(2 * Math.PI * 200 * t));
        }
        return samples;
    }

    public static PretextClip Clip(string id, string speaker, float[] samples, ChunkingConfig? chunking = null)
    {
        var features = new FeatureExtractor().Compute(new AudioSignal(samples, SampleRate));
        var plan = DynamicChunker.Plan(features.Frames, chunking ?? new ChunkingConfig(), new LogMelConfig());
        var entry = new ManifestEntry { Id = id, AudioPath = $"{id}.wav", Speaker = speaker };
        return new PretextClip(entry, $"/nonexistent/{id}.wav", null, null, features, plan);
    }

    /// <summary>A clip whose frame energies and speech mask are given directly (log-mel is left at zero).</summary>
    public static PretextClip ClipWithEnergy(string id, string speaker, float[] energyDb, bool[] speech, ChunkingConfig chunking)
    {
        var features = new FeatureSet(new FeatureMatrix(energyDb.Length, 64), energyDb, speech, null, (energyDb.Length - 1) * 160, SampleRate);
        var plan = DynamicChunker.Plan(energyDb.Length, chunking, new LogMelConfig());
        var entry = new ManifestEntry { Id = id, AudioPath = $"{id}.wav", Speaker = speaker };
        return new PretextClip(entry, $"/nonexistent/{id}.wav", null, null, features, plan);
    }

    public static TaskMeasurement Measurement(string id, string speaker, params double[] chunkValues) =>
        new(id, speaker, chunkValues, null, EnergyVariationTask.MeasurementSource, null);
}
