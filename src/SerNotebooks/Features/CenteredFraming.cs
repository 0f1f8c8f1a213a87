namespace SerNotebooks.Features;

/// <summary>
/// torch.stft's <c>center=True</c> framing: frame t is centred on sample t·hop, and samples before the
/// start or past the end are taken by reflection about the edge samples (<c>pad_mode="reflect"</c>,
/// which does not repeat the edge sample: x[-1] = x[1]).
/// </summary>
public static class CenteredFraming
{
    /// <summary>1 + floor(N / hop): the frame count of a centred STFT of N samples.</summary>
    public static int FrameCount(int sampleCount, int hopLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopLength);
        return 1 + sampleCount / hopLength;
    }

    /// <summary>
    /// Index into a signal of <paramref name="length"/> samples for a possibly out-of-range position,
    /// reflecting as often as needed. torch's reflect pad requires pad &lt; N; reflecting repeatedly extends
    /// the same rule to clips shorter than half a frame instead of failing.
    /// </summary>
    public static int Reflect(int index, int length)
    {
        if (length == 1)
        {
            return 0;
        }
        var period = 2 * (length - 1);
        var i = index % period;
        if (i < 0)
        {
            i += period;
        }
        return i < length ? i : period - i;
    }

    /// <summary>
    /// Copies the <paramref name="destination"/>.Length samples starting at <paramref name="start"/>
    /// (which may be negative or run past the end) with reflection at both edges.
    /// </summary>
    public static void CopyReflected(ReadOnlySpan<float> samples, int start, Span<double> destination)
    {
        var n = samples.Length;
        var count = destination.Length;
        if (start >= 0 && start + count <= n)
        {
            var source = samples.Slice(start, count);
            for (var i = 0; i < count; i++)
            {
                destination[i] = source[i];
            }
            return;
        }
        for (var i = 0; i < count; i++)
        {
            destination[i] = samples[Reflect(start + i, n)];
        }
    }
}
