using SerNotebooks.Audio;
using static SerNotebooks.Tests.Data.TestWav;

namespace SerNotebooks.Tests.Data;

public class WavAudioLoaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, Kind, int, int, int, bool> Formats => new()
    {
        { "pcm16-16k-mono", Kind.Pcm, 16, 16_000, 1, false },
        { "pcm8-22050-mono", Kind.Pcm, 8, 22_050, 1, false },
        { "pcm16-44100-stereo", Kind.Pcm, 16, 44_100, 2, false },
        { "pcm24-48k-stereo-extensible", Kind.Pcm, 24, 48_000, 2, true },
        { "pcm32-44100-mono", Kind.Pcm, 32, 44_100, 1, false },
        { "float32-48k-stereo", Kind.Float, 32, 48_000, 2, false },
        { "float32-44100-mono-extensible", Kind.Float, 32, 44_100, 1, true },
        { "float64-48k-mono", Kind.Float, 64, 48_000, 1, false },
        { "pcm16-8k-6ch-upsampled", Kind.Pcm, 16, 8_000, 6, true },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void SineSurvivesConversionAtTheRightFrequencyAndAmplitude(string name, Kind kind, int bits, int rate, int channels, bool extensible)
    {
        const double frequency = 440, amplitude = 0.5, seconds = 1.5;
        var gains = Enumerable.Repeat(1.0, channels).ToArray();
        var path = _folder.File(name + ".wav", Encode(Sine(frequency, amplitude, rate, seconds, gains), rate, kind, bits, extensible, extraChunk: true));

        var loaded = WavAudioLoader.LoadAudio(path);

        Assert.Equal(16_000, loaded.Signal.SampleRate);
        Assert.Equal(rate, loaded.Source.SampleRate);
        Assert.Equal(channels, loaded.Source.Channels);
        Assert.Equal(bits, loaded.Source.BitsPerSample);
        Assert.False(loaded.IsDigitalSilence);
        Assert.InRange(loaded.Signal.Samples.Length, seconds * 16_000 * 0.99, seconds * 16_000 * 1.01);
        // Judge the steady middle second, away from any resampler edge effects.
        var middle = loaded.Signal.Samples.AsSpan(4_000, 16_000).ToArray();
        Assert.Equal(frequency, PeakFrequency(middle, 16_000, 400, 480), 0);
        var rms = Math.Sqrt(middle.Average(x => (double)x * x));
        Assert.Equal(amplitude / Math.Sqrt(2), rms, 0.01 * amplitude);
    }

    [Fact]
    public void ChannelsAreAveraged()
    {
        var path = _folder.File("left-only.wav", Encode(Sine(300, 0.8, 16_000, 1.2, 1.0, 0.0), 16_000, Kind.Pcm, 16));
        var signal = WavAudioLoader.Load(path);
        Assert.Equal(0.4, signal.Samples.Max(), 0.01);
    }

    [Fact]
    public void DigitalSilenceIsFlaggedNotRejected()
    {
        var silent = new float[2][] { new float[24_000], new float[24_000] };
        var loaded = WavAudioLoader.LoadAudio(_folder.File("silent.wav", Encode(silent, 24_000, Kind.Pcm, 16)));
        Assert.True(loaded.IsDigitalSilence);
        Assert.All(loaded.Signal.Samples, x => Assert.Equal(0f, x));

        // Channels that cancel out when averaged are not silence in the file.
        var cancelling = Encode(Sine(200, 0.5, 16_000, 1.1, 1.0, -1.0), 16_000, Kind.Pcm, 16);
        Assert.False(WavAudioLoader.LoadAudio(_folder.File("cancel.wav", cancelling)).IsDigitalSilence);
        Assert.False(WavAudioLoader.Inspect(_folder.File("cancel2.wav", cancelling)).IsDigitalSilence);
    }

    [Fact]
    public void EightBitMidpointIsSilence()
    {
        var data = Enumerable.Repeat((byte)128, 16_000).ToArray();
        var path = _folder.File("u8-silence.wav", Build(Format(1, 1, 1, 16_000, 8), data));
        Assert.True(WavAudioLoader.Inspect(path).IsDigitalSilence);
    }

    public static TheoryData<string, string> BrokenFiles => new()
    {
        { "empty", "empty (0 bytes)" },
        { "text", "not a RIFF/WAVE file" },
        { "riff-not-wave", "not a RIFF/WAVE file" },
        { "tiny", "not a RIFF/WAVE file" },
        { "no-fmt", "missing 'fmt ' chunk" },
        { "no-data", "missing 'data' chunk" },
        { "truncated", "truncated" },
        { "truncated-fmt", "truncated" },
        { "zero-data", "no audio" },
        { "adpcm", "unsupported WAV encoding" },
        { "pcm12", "unsupported bit depth 12" },
        { "bad-block-align", "inconsistent 'fmt ' chunk" },
        { "too-short", "too short" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void BrokenFilesAreRejectedNamingFileAndReason(string name, string expectedReason)
    {
        var sine = Sine(440, 0.5, 16_000, 1.5);
        var valid = Encode(sine, 16_000, Kind.Pcm, 16);
        byte[] bytes = name switch
        {
            "empty" => [],
            "text" => "id,audio\n1,a.wav\n"u8.ToArray(),
            "riff-not-wave" => [.. "RIFF"u8.ToArray(), 4, 0, 0, 0, .. "AVI "u8.ToArray(), .. new byte[32]],
            "tiny" => "RIFF"u8.ToArray(),
            "no-fmt" => Build(null, new byte[32_000]),
            "no-data" => Build(Format(1, 1, 1, 16_000, 16), null),
            "truncated" => Truncated(sine, 16_000, 0.6),
            "truncated-fmt" => valid[..30],
            "zero-data" => Build(Format(1, 1, 1, 16_000, 16), []),
            "adpcm" => Build(Format(2, 2, 1, 16_000, 16), new byte[32_000]),
            "pcm12" => Build(Patch(Format(1, 1, 1, 16_000, 16), 14, 12), new byte[32_000]),
            "bad-block-align" => Build(Patch(Format(1, 1, 1, 16_000, 16), 12, 4), new byte[32_000]),
            "too-short" => Encode(Sine(440, 0.5, 16_000, 0.5), 16_000, Kind.Pcm, 16),
            _ => throw new ArgumentException(name),
        };
        var path = _folder.File(name + ".wav", bytes);

        // The minimum duration is what corpus preparation asks for: one analysis chunk.
        var options = new WavLoadOptions { MinimumDuration = WavAudioLoader.DefaultMinimumDuration };
        var error = Assert.Throws<AudioFormatException>(() => WavAudioLoader.LoadAudio(path, options));
        Assert.Equal(path, error.FilePath);
        Assert.Contains(expectedReason, error.Reason);
        Assert.Contains(path, error.Message);
        Assert.Throws<AudioFormatException>(() => WavAudioLoader.Inspect(path, WavAudioLoader.DefaultMinimumDuration));
    }

    [Fact]
    public void TruncationIsMeasuredAgainstTheFileLength()
    {
        var sine = Sine(440, 0.5, 16_000, 2.0);
        var path = _folder.File("cut.wav", Truncated(sine, 16_000, 0.75));
        var error = Assert.Throws<AudioFormatException>(() => WavAudioLoader.Load(path));
        Assert.Contains("declares 64000 bytes but the file holds only 48000", error.Reason);
    }

    [Fact]
    public void MinimumDurationIsTheCallersChoice()
    {
        var path = _folder.File("short.wav", Encode(Sine(440, 0.5, 48_000, 0.3), 48_000, Kind.Pcm, 16));
        var signal = WavAudioLoader.Load(path);
        Assert.InRange(signal.Samples.Length, 4_700, 4_900);
        Assert.Contains("less than the minimum 1.000 s (one analysis chunk)",
            Assert.Throws<AudioFormatException>(() => WavAudioLoader.Load(path, 16_000, WavAudioLoader.DefaultMinimumDuration)).Reason);
        var error = Assert.Throws<AudioFormatException>(() => WavAudioLoader.Load(path, 16_000, TimeSpan.FromSeconds(0.5)));
        Assert.Contains("0.300 s, less than the minimum 0.500 s", error.Reason);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var path = Path.Combine(_folder.Path, "nope.wav");
        var error = Assert.Throws<AudioFormatException>(() => WavAudioLoader.Load(path));
        Assert.Contains("does not exist", error.Reason);
    }

    [Fact]
    public void OtherTargetRatesAreHonoured()
    {
        var path = _folder.File("s.wav", Encode(Sine(1000, 0.5, 44_100, 1.2), 44_100, Kind.Pcm, 16));
        var signal = WavAudioLoader.Load(path, 8_000);
        Assert.Equal(8_000, signal.SampleRate);
        Assert.Equal(1000, PeakFrequency(signal.Samples.AsSpan(800, 8_000).ToArray(), 8_000, 950, 1050), 0);
    }

    private static byte[] Patch(byte[] fmt, int offset, ushort value)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(offset), value);
        return fmt;
    }

    /// <summary>Frequency (1 Hz grid) with the largest DFT magnitude in [from, to].</summary>
    private static double PeakFrequency(float[] x, int rate, int from, int to)
    {
        var best = (Frequency: 0.0, Power: -1.0);
        for (var f = from; f <= to; f++)
        {
            double re = 0, im = 0;
            for (var i = 0; i < x.Length; i++)
            {
                var phase = 2 * Math.PI * f * i / rate;
                re += x[i] * Math.Cos(phase);
                im -= x[i] * Math.Sin(phase);
            }
            var power = re * re + im * im;
            if (power > best.Power)
            {
                best = (f, power);
            }
        }
        return best.Frequency;
    }
}
