using SerNotebooks.Features;

namespace SerNotebooks.Tests.Features;

public class LogMelSpectrogramTests
{
    private static readonly LogMelSpectrogram LogMel = new();

    // Independent of the library: HTK mel of f, and the band whose centre (edge point m + 1 of the
    // 66 equally spaced mel points between 0 Hz and 8 kHz) lies nearest the tone on the mel axis.
    private static double Mel(double hz) => 2595.0 * Math.Log10(1.0 + hz / 700.0);

    private static int ExpectedBand(double hz)
    {
        var spacing = Mel(8000) / 65.0;
        return (int)Math.Round(Mel(hz) / spacing) - 1;
    }

    [Theory]
    [InlineData(250.0)]
    [InlineData(1000.0)]
    [InlineData(2500.0)]
    [InlineData(6000.0)]
    public void PureTonePeaksInTheBandCentredOnItsMelFrequency(double hz)
    {
        var features = LogMel.Compute(TestSignals.Sine(hz, 0.5, TestSignals.SampleRate));
        var expected = ExpectedBand(hz);
        for (var t = 5; t < features.Frames - 5; t++)
        {
            var row = features.Row(t);
            var peak = row.IndexOf(RowMax(row));
            Assert.True(peak == expected, $"{hz} Hz: frame {t} peaks in band {peak}, expected {expected}");
        }
    }

    private static float RowMax(ReadOnlySpan<float> row)
    {
        var max = float.NegativeInfinity;
        foreach (var v in row)
        {
            max = Math.Max(max, v);
        }
        return max;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(159, 1)]
    [InlineData(160, 2)]
    [InlineData(16_000, 101)]
    [InlineData(16_159, 101)]
    [InlineData(53_920, 338)]
    public void FrameCountIsOnePlusSamplesOverHop(int samples, int frames)
    {
        Assert.Equal(frames, LogMel.FrameCount(samples));
        var features = LogMel.Compute(TestSignals.Noise(samples, 0.1, seed: samples));
        Assert.Equal(frames, features.Frames);
        Assert.Equal(64, features.Bands);
        foreach (var v in features.AsSpan())
        {
            Assert.True(float.IsFinite(v));
        }
    }

    [Fact]
    public void DigitalSilenceSitsAtTheLogFloorInEveryBand()
    {
        var features = LogMel.Compute(new float[8000]);
        var floor = (float)Math.Log(1e-10);
        Assert.All(features.AsSpan().ToArray(), v => Assert.Equal(floor, v));
    }

    [Fact]
    public void DoublingTheAmplitudeAddsLnFourToEveryBand()
    {
        var x = TestSignals.Speechlike(16_000, seed: 3);
        var doubled = x.Select(v => 2 * v).ToArray();
        var a = LogMel.Compute(x).AsSpan();
        var b = LogMel.Compute(doubled).AsSpan();
        for (var i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i] + Math.Log(4), b[i], 1e-4);
        }
    }

    [Fact]
    public void MatchesADirectDftOfTheCentredReflectPaddedHannFrame()
    {
        // Reference computed the slow way, straight from the documented definition, for a few frames.
        var x = TestSignals.Speechlike(4000, seed: 11);
        var features = LogMel.Compute(x);
        var bank = LogMel.Filterbank;
        foreach (var t in new[] { 0, 1, 12, features.Frames - 1 })
        {
            var frame = new double[512];
            for (var n = 0; n < 400; n++)
            {
                var i = t * 160 - 256 + 56 + n;
                var reflected = i < 0 ? -i : i >= x.Length ? 2 * (x.Length - 1) - i : i;
                frame[56 + n] = x[reflected] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * n / 400));
            }
            for (var m = 0; m < 64; m++)
            {
                var energy = 0.0;
                for (var k = 0; k <= 256; k++)
                {
                    double re = 0, im = 0;
                    for (var n = 0; n < 512; n++)
                    {
                        re += frame[n] * Math.Cos(2 * Math.PI * k * n / 512);
                        im -= frame[n] * Math.Sin(2 * Math.PI * k * n / 512);
                    }
                    energy += bank.Weight(k, m) * (re * re + im * im);
                }
                Assert.Equal(Math.Log(Math.Max(energy, 1e-10)), features[t, m], 1e-4);
            }
        }
    }

    [Fact]
    public void RejectsASignalAtTheWrongSampleRate()
    {
        var error = Assert.Throws<ArgumentException>(() => LogMel.Compute(new SerNotebooks.Audio.AudioSignal(new float[100], 8000)));
        Assert.Contains("8000 Hz", error.Message);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(0)]
    public void RejectsAnFftSizeThatIsNotAPowerOfTwoOrTooSmall(int nFft)
    {
        Assert.Throws<ArgumentException>(() => new LogMelSpectrogram(new LogMelConfig { NFft = nFft }));
    }
}
