using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace SerNotebooks.Audio;

/// <summary>
/// Reads a WAV file into 16 kHz (or another target rate) mono float audio.
/// Channels are averaged; the sample rate is converted with NAudio's WDL resampler
/// (<see cref="WdlResamplingSampleProvider"/>, a windowed-sinc resampler from the WDL library).
/// </summary>
public static class WavAudioLoader
{
    public const int DefaultSampleRate = 16_000;

    public static AudioSignal Load(string path, int targetSampleRate = DefaultSampleRate)
    {
        if (!File.Exists(path))
        {
            throw new AudioFormatException(path, "file does not exist");
        }
        try
        {
            using var reader = new WaveFileReader(path);
            ISampleProvider provider = reader.ToSampleProvider();
            if (provider.WaveFormat.Channels > 1)
            {
                provider = new ChannelAveragingSampleProvider(provider);
            }
            if (provider.WaveFormat.SampleRate != targetSampleRate)
            {
                provider = new WdlResamplingSampleProvider(provider, targetSampleRate);
            }
            var samples = new List<float>(capacity: (int)Math.Min(int.MaxValue, reader.SampleCount));
            var buffer = new float[8192];
            int read;
            while ((read = provider.Read(buffer.AsSpan())) > 0)
            {
                samples.AddRange(buffer.AsSpan(0, read));
            }
            return new AudioSignal(samples.ToArray(), targetSampleRate);
        }
        catch (FormatException e)
        {
            throw new AudioFormatException(path, $"not a readable WAV file ({e.Message})");
        }
        catch (ArgumentException e)
        {
            throw new AudioFormatException(path, $"unsupported WAV format ({e.Message})");
        }
    }

    /// <summary>Mono mix-down by averaging every channel of a frame.</summary>
    private sealed class ChannelAveragingSampleProvider(ISampleProvider source) : ISampleProvider
    {
        private float[] _interleaved = [];

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, 1);

        public int Read(Span<float> buffer)
        {
            var channels = source.WaveFormat.Channels;
            var needed = buffer.Length * channels;
            if (_interleaved.Length < needed)
            {
                _interleaved = new float[needed];
            }
            var read = source.Read(_interleaved.AsSpan(0, needed));
            var frames = read / channels;
            for (var f = 0; f < frames; f++)
            {
                var sum = 0f;
                for (var c = 0; c < channels; c++)
                {
                    sum += _interleaved[f * channels + c];
                }
                buffer[f] = sum / channels;
            }
            return frames;
        }
    }
}
