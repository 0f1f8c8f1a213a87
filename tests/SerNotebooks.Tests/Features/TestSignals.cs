using NAudio.Wave;

namespace SerNotebooks.Tests.Features;

internal static class TestSignals
{
    public const int SampleRate = 16_000;

    public static float[] Sine(double hz, double amplitude, int samples, int sampleRate = SampleRate)
    {
        var x = new float[samples];
        for (var i = 0; i < samples; i++)
        {
            x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / sampleRate));
        }
        return x;
    }

    public static float[] Noise(int samples, double amplitude, int seed)
    {
        var random = new Random(seed);
        var x = new float[samples];
        for (var i = 0; i < samples; i++)
        {
            x[i] = (float)(amplitude * (2 * random.NextDouble() - 1));
        }
        return x;
    }

    /// <summary>A chirp plus noise: broadband, non-stationary content that exercises every band.</summary>
    public static float[] Speechlike(int samples, int seed)
    {
        var noise = Noise(samples, 0.02, seed);
        var x = new float[samples];
        for (var i = 0; i < samples; i++)
        {
            var t = i / (double)SampleRate;
            x[i] = (float)(0.3 * Math.Sin(2 * Math.PI * (120 * t + 900 * t * t)) * (0.6 + 0.4 * Math.Sin(2 * Math.PI * 4 * t))) + noise[i];
        }
        return x;
    }

    public static void WriteFloatWav(string path, float[] samples, int sampleRate = SampleRate)
    {
        using var writer = new WaveFileWriter(path, WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1));
        writer.WriteSamples(samples, 0, samples.Length);
    }
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sernb-features-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
