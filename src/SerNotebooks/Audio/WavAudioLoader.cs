using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace SerNotebooks.Audio;

/// <summary>How <see cref="WavAudioLoader"/> converts and what it refuses.</summary>
public sealed record WavLoadOptions
{
    /// <summary>Output sample rate (Hz); the project's front end works at 16 kHz.</summary>
    public int TargetSampleRate { get; init; } = WavAudioLoader.DefaultSampleRate;

    /// <summary>
    /// Shortest clip accepted. The default, <see cref="TimeSpan.Zero"/>, accepts any clip with at least one
    /// sample frame; corpus preparation passes <see cref="WavAudioLoader.DefaultMinimumDuration"/> (one
    /// analysis chunk) so that clips too short for a single chunk never enter a manifest.
    /// </summary>
    public TimeSpan MinimumDuration { get; init; } = TimeSpan.Zero;
}

/// <summary>A decoded clip with what it was before conversion.</summary>
/// <param name="FilePath">The file as given to the loader.</param>
/// <param name="Signal">Mono audio at the requested rate.</param>
/// <param name="Source">The file's own format (encoding, bit depth, rate, channels, data location).</param>
/// <param name="IsDigitalSilence">Every source sample is exactly zero: usable as a file, useless as speech.</param>
public sealed record LoadedAudio(string FilePath, AudioSignal Signal, WavFileHeader Source, bool IsDigitalSilence);

/// <summary>
/// Reads WAV files (PCM 8/16/24/32-bit, IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE, any
/// sample rate and channel count) into mono float audio, 16 kHz by default.
/// <list type="bullet">
/// <item>The RIFF structure is checked by <see cref="WavFileHeader.Read(string)"/> first: empty, non-RIFF,
/// missing chunks, truncated data and zero-length data are rejected with the reason.</item>
/// <item>Samples are converted to float by NAudio's converters (8-bit: (b − 128)/128; n-bit signed: x/2^(n−1)).</item>
/// <item>Channels are averaged (equal weights).</item>
/// <item>The rate is converted with NAudio's <see cref="WdlResamplingSampleProvider"/> (Cockos WDL's
/// windowed-sinc resampler, NAudio's defaults); no conversion when the file is already at the target rate.</item>
/// </list>
/// Every refusal is an <see cref="AudioFormatException"/> naming the file and the reason.
/// </summary>
public static class WavAudioLoader
{
    public const int DefaultSampleRate = 16_000;

    /// <summary>
    /// One analysis chunk (docs/METHOD.md, "Chunking": m ≈ 1 s): the minimum clip length the corpus preparers (and
    /// <c>sernb prepare --min-duration</c>) use by default.
    /// </summary>
    public static readonly TimeSpan DefaultMinimumDuration = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Loads a clip as mono audio at <paramref name="targetSampleRate"/>. Without
    /// <paramref name="minimumDuration"/> any clip with at least one sample frame is accepted (the chunker
    /// pads short clips); pass e.g. <see cref="DefaultMinimumDuration"/> to refuse clips shorter than a chunk.
    /// </summary>
    public static AudioSignal Load(string path, int targetSampleRate = DefaultSampleRate, TimeSpan? minimumDuration = null) =>
        LoadAudio(path, new WavLoadOptions
        {
            TargetSampleRate = targetSampleRate,
            MinimumDuration = minimumDuration ?? TimeSpan.Zero,
        }).Signal;

    /// <summary>Loads a clip and reports its source format and whether it is digital silence.</summary>
    public static LoadedAudio LoadAudio(string path, WavLoadOptions? options = null)
    {
        options ??= new WavLoadOptions();
        if (options.TargetSampleRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TargetSampleRate, "target sample rate must be positive");
        }
        var header = CheckedHeader(path, options.MinimumDuration);
        var (source, silence) = OpenSamples(path, header);
        ISampleProvider provider = silence;
        if (header.Channels > 1)
        {
            provider = new ChannelAveragingSampleProvider(provider);
        }
        if (header.SampleRate != options.TargetSampleRate)
        {
            provider = new WdlResamplingSampleProvider(provider, options.TargetSampleRate);
        }
        using (source)
        {
            var expected = (int)Math.Min(int.MaxValue - 64, header.FrameCount * (double)options.TargetSampleRate / header.SampleRate + 64);
            var samples = ReadAll(provider, expected);
            return new LoadedAudio(path, new AudioSignal(samples, options.TargetSampleRate), header, silence.AllZero);
        }
    }

    /// <summary>
    /// Checks a clip completely (structure, minimum duration, every sample decodes) without resampling;
    /// cheaper than <see cref="LoadAudio"/> when only validity, format and silence matter.
    /// </summary>
    public static (WavFileHeader Header, bool IsDigitalSilence) Inspect(string path, TimeSpan? minimumDuration = null)
    {
        var header = CheckedHeader(path, minimumDuration ?? TimeSpan.Zero);
        var (source, silence) = OpenSamples(path, header);
        using (source)
        {
            var buffer = new float[16_384];
            while (silence.Read(buffer) > 0)
            {
            }
            return (header, silence.AllZero);
        }
    }

    private static WavFileHeader CheckedHeader(string path, TimeSpan minimumDuration)
    {
        var header = WavFileHeader.Read(path);
        if (header.DataLength > int.MaxValue)
        {
            throw new AudioFormatException(path, $"data chunk of {header.DataLength} bytes is larger than 2 GiB");
        }
        if (header.Duration < minimumDuration)
        {
            throw new AudioFormatException(path,
                $"too short: {header.Duration.TotalSeconds:0.000} s, less than the minimum {minimumDuration.TotalSeconds:0.000} s (one analysis chunk)");
        }
        return header;
    }

    private static (WaveStream Source, SilenceDetectingSampleProvider Samples) OpenSamples(string path, WavFileHeader header)
    {
        var bytes = new byte[header.FrameCount * header.BlockAlign];
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
        {
            file.Position = header.DataOffset;
            file.ReadExactly(bytes);
        }
        // The header was validated by WavFileHeader, so NAudio is handed only the sample bytes and an
        // equivalent plain format: WAVE_FORMAT_EXTENSIBLE files then take the same conversion path.
        var format = header.Encoding == WavSampleEncoding.Pcm
            ? new WaveFormat(header.SampleRate, header.BitsPerSample, header.Channels)
            : WaveFormat.CreateCustomFormat(WaveFormatEncoding.IeeeFloat, header.SampleRate, header.Channels,
                header.SampleRate * header.BlockAlign, header.BlockAlign, header.BitsPerSample);
        var source = new RawSourceWaveStream(new MemoryStream(bytes, writable: false), format);
        ISampleProvider samples;
        try
        {
            samples = header is { Encoding: WavSampleEncoding.IeeeFloat, BitsPerSample: 64 }
                ? new Float64SampleProvider(source)
                : source.ToSampleProvider();
        }
        catch (ArgumentException e)
        {
            source.Dispose();
            throw new AudioFormatException(path, $"unsupported WAV format {header.Describe()} ({e.Message})");
        }
        return (source, new SilenceDetectingSampleProvider(samples));
    }

    private static float[] ReadAll(ISampleProvider provider, int expected)
    {
        var samples = new List<float>(expected);
        var buffer = new float[16_384];
        int read;
        while ((read = provider.Read(buffer.AsSpan())) > 0)
        {
            samples.AddRange(buffer.AsSpan(0, read));
        }
        return samples.ToArray();
    }

    /// <summary>Passes samples through, remembering whether any was non-zero (checked before mixing channels).</summary>
    private sealed class SilenceDetectingSampleProvider(ISampleProvider source) : ISampleProvider
    {
        public bool AllZero { get; private set; } = true;

        public WaveFormat WaveFormat => source.WaveFormat;

        public int Read(Span<float> buffer)
        {
            var read = source.Read(buffer);
            if (AllZero && buffer[..read].ContainsAnyExcept(0f))
            {
                AllZero = false;
            }
            return read;
        }
    }

    /// <summary>64-bit IEEE float samples narrowed to float (NAudio's converters stop at 32-bit float).</summary>
    private sealed class Float64SampleProvider(IWaveProvider source) : ISampleProvider
    {
        private byte[] _bytes = [];

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, source.WaveFormat.Channels);

        public int Read(Span<float> buffer)
        {
            var needed = buffer.Length * 8;
            if (_bytes.Length < needed)
            {
                _bytes = new byte[needed];
            }
            var read = source.Read(_bytes.AsSpan(0, needed)) / 8;
            var doubles = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(_bytes.AsSpan(0, read * 8));
            for (var i = 0; i < read; i++)
            {
                buffer[i] = (float)doubles[i];
            }
            return read;
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
