using SerNotebooks.Features;

namespace SerNotebooks.Tests.Features;

public class FrameEnergyTests
{
    private static readonly LogMelConfig Framing = new();

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.05)]
    public void ConstantAmplitudeSineHasMeanPowerHalfTheSquaredAmplitude(double amplitude)
    {
        // 200 Hz has exactly five periods in the 400-sample window, so the mean of x² is exactly A²/2.
        var energy = FrameEnergy.ComputeDb(TestSignals.Sine(200, amplitude, 16_000), Framing);
        var expected = 10 * Math.Log10(amplitude * amplitude / 2);
        Assert.Equal(101, energy.Length);
        for (var t = 2; t < energy.Length - 2; t++)
        {
            Assert.Equal(expected, energy[t], 1e-3);
        }
    }

    [Fact]
    public void ConstantSignalHasTheSameEnergyInEveryFrameIncludingTheReflectedEdges()
    {
        var energy = FrameEnergy.ComputeDb(Enumerable.Repeat(0.1f, 5000).ToArray(), Framing);
        Assert.All(energy, e => Assert.Equal(-20.0, e, 1e-4));
    }

    [Fact]
    public void DigitalSilenceIsMinusOneHundredDecibels()
    {
        Assert.All(FrameEnergy.ComputeDb(new float[3200], Framing), e => Assert.Equal(-100f, e));
    }

    [Fact]
    public void SpeechMaskKeepsLoudFramesAndDropsSilence()
    {
        var signal = TestSignals.Sine(300, 0.3, 16_000).Concat(new float[16_000]).ToArray();
        var energy = FrameEnergy.ComputeDb(signal, Framing);
        var mask = new SpeechMaskConfig().Compute(energy);
        Assert.Equal(energy.Length, mask.Length);
        Assert.All(mask[..98], Assert.True);
        Assert.All(mask[103..], Assert.False);
    }

    [Fact]
    public void QuietFramesBelowTheRelativeThresholdAreNotSpeech()
    {
        // 40 dB down from the loud half: beyond the default 35 dB relative threshold.
        var signal = TestSignals.Sine(300, 0.5, 8000).Concat(TestSignals.Sine(300, 0.005, 8000)).ToArray();
        var mask = new SpeechMaskConfig().Compute(FrameEnergy.ComputeDb(signal, Framing));
        Assert.True(mask[20]);
        Assert.False(mask[80]);
        var lenient = new SpeechMaskConfig { RelativeThresholdDb = 45 }.Compute(FrameEnergy.ComputeDb(signal, Framing));
        Assert.True(lenient[80]);
    }

    [Fact]
    public void ClipOfDigitalSilenceHasNoSpeechFrames()
    {
        var mask = new SpeechMaskConfig().Compute(FrameEnergy.ComputeDb(new float[8000], Framing));
        Assert.DoesNotContain(true, mask);
    }
}
