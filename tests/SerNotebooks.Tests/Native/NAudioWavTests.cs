using NAudio.Wave;
using SerNotebooks.Audio;

namespace SerNotebooks.Tests.Native;

public class NAudioWavTests
{
    [Fact]
    public void SixteenBitWavReadsBackSampleForSample()
    {
        using var temp = new Native.TempDirectory();
        var path = temp.File("tone.wav");
        const int rate = 16000;
        var samples = Enumerable.Range(0, 1600)
            .Select(i => (short)Math.Round(12000 * Math.Sin(2 * Math.PI * 440 * i / rate)))
            .Concat(new short[] { short.MaxValue, short.MinValue, 0, -1, 1 })
            .ToArray();

        using (var writer = new WaveFileWriter(path, new WaveFormat(rate, 16, 1)))
        {
            writer.WriteSamples(samples, 0, samples.Length);
        }

        using (var reader = new WaveFileReader(path))
        {
            Assert.Equal(16, reader.WaveFormat.BitsPerSample);
            Assert.Equal(rate, reader.WaveFormat.SampleRate);
            Assert.Equal(1, reader.WaveFormat.Channels);
            Assert.Equal(samples.Length, reader.SampleCount);
            var bytes = new byte[reader.Length];
            Assert.Equal(bytes.Length, reader.Read(bytes, 0, bytes.Length));
            var decoded = new short[samples.Length];
            Buffer.BlockCopy(bytes, 0, decoded, 0, bytes.Length);
            Assert.Equal(samples, decoded);
        }

        // The project's loader sees the same samples as floats in [-1, 1].
        var signal = WavAudioLoader.Load(path, rate);
        Assert.Equal(rate, signal.SampleRate);
        Assert.Equal(samples.Length, signal.Samples.Length);
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.Equal(samples[i] / 32768f, signal.Samples[i], 1e-6f);
        }
    }
}
