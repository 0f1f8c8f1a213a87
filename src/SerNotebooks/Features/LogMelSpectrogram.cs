using System.Runtime.CompilerServices;
using SerNotebooks.Audio;

namespace SerNotebooks.Features;

/// <summary>
/// Log-mel spectrogram with torchaudio's <c>MelSpectrogram</c> conventions (see <see cref="LogMelConfig"/>
/// and FEATURES.md): centred frames with reflect padding, a periodic Hann window of WinLength samples
/// zero-padded symmetrically to NFft, |FFT|^Power, triangular mel filters, then ln(max(mel, LogFloor)).
/// Window, FFT tables and filterbank are built once per instance; <see cref="Compute(ReadOnlySpan{float})"/>
/// allocates its scratch buffers once per call, so an instance is safe to share between threads.
/// </summary>
public sealed class LogMelSpectrogram
{
    private readonly RealFft _fft;
    private readonly double[] _window;
    private readonly int _windowOffset;

    public LogMelSpectrogram(LogMelConfig? config = null)
    {
        Config = config ?? new LogMelConfig();
        Config.Validate();
        _fft = new RealFft(Config.NFft);
        _window = PeriodicHann(Config.WinLength);
        _windowOffset = (Config.NFft - Config.WinLength) / 2;
        Filterbank = new MelFilterbank(Config);
    }

    public LogMelConfig Config { get; }

    public MelFilterbank Filterbank { get; }

    /// <summary>Number of frames for a clip of <paramref name="sampleCount"/> samples: 1 + floor(N / hop).</summary>
    public int FrameCount(int sampleCount) => CenteredFraming.FrameCount(sampleCount, Config.HopLength);

    public FeatureMatrix Compute(AudioSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (signal.SampleRate != Config.SampleRate)
        {
            throw new ArgumentException(
                $"Signal is at {signal.SampleRate} Hz but the log-mel front end expects {Config.SampleRate} Hz; resample first.",
                nameof(signal));
        }
        return Compute(signal.Samples);
    }

    // Long-running loops called few times: compile fully optimised at once instead of via tier-0/OSR.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FeatureMatrix Compute(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty)
        {
            throw new ArgumentException("Cannot compute a spectrogram of an empty signal.", nameof(samples));
        }
        var frames = FrameCount(samples.Length);
        var result = new FeatureMatrix(frames, Config.NMels);
        var frame = new double[Config.NFft];
        var real = new double[_fft.BinCount];
        var imaginary = new double[_fft.BinCount];
        var mel = new double[Config.NMels];
        var windowed = frame.AsSpan(_windowOffset, Config.WinLength);
        var powerIsTwo = Config.Power == 2.0;
        var halfPower = Config.Power / 2.0;
        var floor = Config.LogFloor;
        for (var t = 0; t < frames; t++)
        {
            // Padded frame t starts at original sample t·hop − nFft/2; the window occupies its middle WinLength samples.
            var start = t * Config.HopLength - Config.NFft / 2 + _windowOffset;
            CenteredFraming.CopyReflected(samples, start, windowed);
            for (var i = 0; i < windowed.Length; i++)
            {
                windowed[i] *= _window[i];
            }
            _fft.Forward(frame, real, imaginary);
            for (var k = 0; k < real.Length; k++)
            {
                var squared = real[k] * real[k] + imaginary[k] * imaginary[k];
                real[k] = powerIsTwo ? squared : Math.Pow(squared, halfPower);
            }
            Filterbank.Apply(real, mel);
            var row = result.Row(t);
            for (var m = 0; m < mel.Length; m++)
            {
                row[m] = (float)Math.Log(Math.Max(mel[m], floor));
            }
        }
        return result;
    }

    /// <summary>torch.hann_window(n, periodic=True): 0.5 − 0.5·cos(2πi/n), i = 0..n−1.</summary>
    public static double[] PeriodicHann(int length)
    {
        var window = new double[length];
        for (var i = 0; i < length; i++)
        {
            window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / length);
        }
        return window;
    }
}
