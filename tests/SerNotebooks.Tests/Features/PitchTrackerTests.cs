using SerNotebooks.Features;

namespace SerNotebooks.Tests.Features;

public class PitchTrackerTests
{
    private static readonly LogMelConfig Framing = new();

    [Theory]
    [InlineData(80.0)]
    [InlineData(200.0)]
    [InlineData(410.0)]
    public void FindsTheFundamentalOfAHarmonicTone(double f0)
    {
        // Harmonics with falling amplitude, the fundamental weaker than the second: a classic octave trap.
        var x = new float[16_000];
        for (var h = 1; h <= 5; h++)
        {
            var harmonic = TestSignals.Sine(f0 * h, (h == 1 ? 0.15 : 0.3) / h, x.Length);
            for (var i = 0; i < x.Length; i++)
            {
                x[i] += harmonic[i];
            }
        }
        var track = PitchTracker.Track(x, Framing);
        for (var t = 5; t < track.F0Hz.Length - 5; t++)
        {
            Assert.True(track.Voiced[t], $"frame {t} unvoiced");
            Assert.Equal(f0, track.F0Hz[t], f0 * 0.01);
        }
    }

    [Fact]
    public void WhiteNoiseIsMostlyUnvoiced()
    {
        var track = PitchTracker.Track(TestSignals.Noise(16_000, 0.3, seed: 5), Framing);
        Assert.True(track.Voiced.Count(v => v) < track.Voiced.Length / 10, $"{track.Voiced.Count(v => v)} of {track.Voiced.Length} noise frames voiced");
        Assert.All(track.Voiced.Zip(track.F0Hz), p => Assert.True(p.First || p.Second == 0));
    }

    [Fact]
    public void NonSpeechFramesAreNeverVoiced()
    {
        var x = TestSignals.Sine(150, 0.3, 16_000);
        var mask = new bool[101];
        Array.Fill(mask, true, 0, 50);
        var track = PitchTracker.Track(x, Framing, speechMask: mask);
        Assert.True(track.Voiced[25]);
        Assert.All(track.Voiced[50..], Assert.False);
    }
}
