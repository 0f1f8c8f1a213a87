using System.Globalization;

namespace SerNotebooks.Features;

/// <summary>Mel-frequency scale used to place the filter centres.</summary>
public enum MelScale
{
    /// <summary>mel = 2595 · log10(1 + f / 700) (torchaudio <c>mel_scale="htk"</c>, its default).</summary>
    Htk,

    /// <summary>Slaney's Auditory Toolbox scale: linear below 1 kHz, logarithmic above (torchaudio <c>mel_scale="slaney"</c>).</summary>
    Slaney,
}

/// <summary>Area normalisation of the triangular mel filters.</summary>
public enum MelNorm
{
    /// <summary>Peak-one triangles, no normalisation (torchaudio <c>norm=None</c>, its default).</summary>
    None,

    /// <summary>Each triangle divided by half its bandwidth in Hz, so every filter has equal area (torchaudio <c>norm="slaney"</c>).</summary>
    Slaney,
}

/// <summary>
/// Log-mel front-end settings. The defaults are the project's model input (docs/METHOD.md, "Input features":
/// 16 kHz, 25 ms Hann window, 10 ms hop, 64 bands) expressed in torchaudio's <c>MelSpectrogram</c> terms, so that
/// <c>torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, win_length=400, hop_length=160,
/// f_min=0, f_max=8000, n_mels=64, window_fn=torch.hann_window, power=2.0, center=True, pad_mode="reflect",
/// norm=None, mel_scale="htk")</c> followed by <c>torch.log(torch.clamp(x, min=1e-10))</c> reproduces it.
/// See FEATURES.md for every parameter and why.
/// </summary>
public sealed record LogMelConfig
{
    public int SampleRate { get; init; } = 16_000;

    /// <summary>Samples under the Hann window: 400 = 25 ms at 16 kHz.</summary>
    public int WinLength { get; init; } = 400;

    /// <summary>Samples between frame centres: 160 = 10 ms at 16 kHz.</summary>
    public int HopLength { get; init; } = 160;

    /// <summary>
    /// FFT size, a power of two ≥ <see cref="WinLength"/>. 512 is the smallest power of two holding the
    /// 400-sample window; the window is zero-padded symmetrically to it, as torch.stft does.
    /// </summary>
    public int NFft { get; init; } = 512;

    public int NMels { get; init; } = 64;

    public double FMin { get; init; }

    /// <summary>Upper edge of the top filter; 8000 = Nyquist at 16 kHz.</summary>
    public double FMax { get; init; } = 8_000;

    /// <summary>Exponent of the magnitude spectrum: 2 = power, 1 = magnitude.</summary>
    public double Power { get; init; } = 2.0;

    public MelScale MelScale { get; init; } = MelScale.Htk;

    public MelNorm Norm { get; init; } = MelNorm.None;

    /// <summary>
    /// Floor applied before the natural log: log(max(mel, LogFloor)). 1e-10 keeps digital silence finite
    /// (ln 1e-10 ≈ −23.03) while staying far below the energy of any audible frame.
    /// </summary>
    public double LogFloor { get; init; } = 1e-10;

    /// <summary>The natural-log value a frame of digital silence gets in every band.</summary>
    public float SilenceValue => (float)Math.Log(LogFloor);

    /// <summary>Throws with the offending parameter when the settings cannot describe a valid front end.</summary>
    public void Validate()
    {
        Require(SampleRate > 0, nameof(SampleRate), "must be positive");
        Require(WinLength > 0, nameof(WinLength), "must be positive");
        Require(HopLength > 0, nameof(HopLength), "must be positive");
        Require(NFft >= 2 && (NFft & (NFft - 1)) == 0, nameof(NFft), "must be a power of two ≥ 2 (the FFT is radix-2)");
        Require(WinLength <= NFft, nameof(WinLength), $"must not exceed NFft ({NFft})");
        Require(NMels > 0, nameof(NMels), "must be positive");
        Require(FMin >= 0 && FMin < FMax, nameof(FMin), $"must satisfy 0 ≤ FMin < FMax ({FMax})");
        Require(FMax <= SampleRate / 2.0, nameof(FMax), $"must not exceed the Nyquist frequency ({SampleRate / 2.0} Hz)");
        Require(Power > 0, nameof(Power), "must be positive");
        Require(LogFloor > 0, nameof(LogFloor), "must be positive");
    }

    /// <summary>Culture-independent text naming every parameter; the basis of the feature-cache key.</summary>
    public string CanonicalText() => string.Create(
        CultureInfo.InvariantCulture,
        $"logmel(sr={SampleRate};win={WinLength};hop={HopLength};nfft={NFft};mels={NMels};fmin={FMin:R};fmax={FMax:R};" +
        $"power={Power:R};scale={MelScale};norm={Norm};window=hann-periodic;center=reflect;log=ln;floor={LogFloor:R})");

    private static void Require(bool condition, string parameter, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"LogMelConfig.{parameter} {message}.", parameter);
        }
    }
}
