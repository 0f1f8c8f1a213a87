namespace SerNotebooks.Audio;

/// <summary>Mono floating-point audio in [-1, 1] at a known sample rate.</summary>
public sealed record AudioSignal(float[] Samples, int SampleRate)
{
    public TimeSpan Duration => TimeSpan.FromSeconds(Samples.Length / (double)SampleRate);
}
