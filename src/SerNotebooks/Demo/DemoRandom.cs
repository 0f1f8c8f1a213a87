namespace SerNotebooks.Demo;

/// <summary>
/// xoshiro256** generator seeded through SplitMix64. The demo corpus must be byte-identical for a
/// seed on every .NET version, and <see cref="System.Random"/>'s seeded sequence is not promised to
/// stay the same across versions, so the generator is ours. Streams are derived from
/// (seed, corpus part, index, aspect), which lets clips be generated in any order and in parallel.
/// </summary>
public sealed class DemoRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareGaussian;

    public DemoRandom(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
        if ((_s0 | _s1 | _s2 | _s3) == 0)
        {
            _s0 = 1; // the all-zero state is the one xoshiro cannot leave
        }
    }

    /// <summary>A generator in an explicit xoshiro256** state (for checking against the reference vectors).</summary>
    public static DemoRandom FromState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        var random = new DemoRandom(0);
        random._s0 = s0;
        random._s1 = s1;
        random._s2 = s2;
        random._s3 = s3;
        return random;
    }

    /// <summary>First output of SplitMix64 from a state, exposed so the seeding can be checked against its reference.</summary>
    public static ulong SplitMix64Next(ulong state) => SplitMix64(ref state);

    /// <summary>An independent stream for one (corpus part, index, aspect) of a corpus seed.</summary>
    public static DemoRandom ForStream(long seed, DemoStreamPart part, long index, int aspect = 0)
    {
        var key = (ulong)seed;
        key = Mix(key ^ (0x9E3779B97F4A7C15UL * ((ulong)part + 1)));
        key = Mix(key ^ (0xD1B54A32D192ED03UL * ((ulong)index + 1)));
        key = Mix(key ^ (0xA0761D6478BD642FUL * ((ulong)aspect + 1)));
        return new DemoRandom(key);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, count) without modulo bias (Lemire's method).</summary>
    public int NextInt(int count)
    {
        if (count <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "must be positive");
        }
        var threshold = (ulong)(-(long)count) % (ulong)count;
        while (true)
        {
            var product = Math.BigMul(NextUInt64(), (ulong)count, out var low);
            if (low >= threshold)
            {
                return (int)product;
            }
        }
    }

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Standard normal by the Marsaglia polar method (no trigonometry, so fewer libm differences).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        var factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        return u * factor;
    }

    public double Gaussian(double mean, double std) => mean + std * NextGaussian();

    /// <summary>Index drawn with probability proportional to its weight.</summary>
    public int Choose(ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }
        var target = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}

/// <summary>Which part of the demo corpus a random stream belongs to.</summary>
public enum DemoStreamPart
{
    UnlabelledSpeaker = 1,
    UnlabelledClip = 2,
    CremaActor = 3,
    CremaClip = 4,
}
