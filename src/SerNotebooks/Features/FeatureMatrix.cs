namespace SerNotebooks.Features;

/// <summary>A frames × bands matrix of 32-bit features, stored row-major (one row per frame).</summary>
public sealed class FeatureMatrix
{
    private readonly float[] _data;

    public FeatureMatrix(int frames, int bands)
        : this(frames, bands, new float[checked(frames * bands)])
    {
    }

    /// <summary>Wraps <paramref name="data"/> (row-major, length frames·bands) without copying.</summary>
    public FeatureMatrix(int frames, int bands, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bands);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != (long)frames * bands)
        {
            throw new ArgumentException($"Expected {frames} × {bands} = {(long)frames * bands} values, got {data.Length}.", nameof(data));
        }
        Frames = frames;
        Bands = bands;
        _data = data;
    }

    public int Frames { get; }

    public int Bands { get; }

    public float this[int frame, int band]
    {
        get => _data[Index(frame, band)];
        set => _data[Index(frame, band)] = value;
    }

    /// <summary>All values, row-major.</summary>
    public Span<float> AsSpan() => _data;

    public Span<float> Row(int frame)
    {
        if ((uint)frame >= (uint)Frames)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), frame, $"Frame must be in [0, {Frames}).");
        }
        return _data.AsSpan(frame * Bands, Bands);
    }

    /// <summary>A copy as a rectangular array, for callers (plots, notebooks) that want one.</summary>
    public float[,] ToArray()
    {
        var result = new float[Frames, Bands];
        for (var t = 0; t < Frames; t++)
        {
            for (var b = 0; b < Bands; b++)
            {
                result[t, b] = _data[t * Bands + b];
            }
        }
        return result;
    }

    public FeatureMatrix Clone() => new(Frames, Bands, (float[])_data.Clone());

    private int Index(int frame, int band)
    {
        if ((uint)frame >= (uint)Frames || (uint)band >= (uint)Bands)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), $"({frame}, {band}) is outside {Frames} × {Bands}.");
        }
        return frame * Bands + band;
    }
}
