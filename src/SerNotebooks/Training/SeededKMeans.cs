namespace SerNotebooks.Training;

/// <summary>The result of <see cref="SeededKMeans.Fit"/>: K centres, each point's cluster, and how the iterations ended.</summary>
public sealed record KMeansResult(float[][] Centres, int[] Assignments, int Iterations, bool Converged)
{
    /// <summary>Points per cluster.</summary>
    public long[] ClusterSizes()
    {
        var sizes = new long[Centres.Length];
        foreach (var cluster in Assignments)
        {
            sizes[cluster]++;
        }
        return sizes;
    }
}

/// <summary>
/// k-means (k-means++ seeding, then Lloyd iterations) whose result is a function of the points and the seed only: the
/// same on every machine, thread count and .NET version. The clustering pretext task needs that, because a run must give
/// the same numbers for the same seed and a resumed run the same numbers as an uninterrupted one.
/// <para>Why not a library: the only maintained k-means in reach is Microsoft.ML's <c>KMeansTrainer</c>, a large
/// dependency (ML.NET data views) for one algorithm, whose result depends on its thread count unless it is pinned to
/// one thread, and whose seeding sequence is ML.NET's <see cref="Random"/>, not promised stable across versions
/// (TRAINING.md, "Clustering pretext task"). This is ~100 lines: seeding draws from SplitMix64; distances are
/// computed in double; a point is assigned to the nearest centre with ties going to the lower cluster index; the
/// assignment of each point is independent of the others, so it runs in parallel without changing any result; centre
/// sums are accumulated in point order.</para>
/// </summary>
public static class SeededKMeans
{
    public const int DefaultMaxIterations = 100;

    /// <summary>Clusters <paramref name="points"/> (all of one dimension) into <paramref name="clusters"/> clusters.</summary>
    /// <param name="points">The points, all of one dimension (not modified).</param>
    /// <param name="clusters">K.</param>
    /// <param name="seed">Drives the k-means++ seeding (the only random step).</param>
    /// <param name="maxIterations">Lloyd iterations at most; the loop also stops when no assignment changes.</param>
    /// <exception cref="ArgumentException">Fewer points than clusters, fewer than 2 clusters, or points of different dimensions.</exception>
    public static KMeansResult Fit(IReadOnlyList<float[]> points, int clusters, long seed, int maxIterations = DefaultMaxIterations)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (clusters < 2)
        {
            throw new ArgumentException($"k-means needs at least 2 clusters, got {clusters}", nameof(clusters));
        }
        if (points.Count < clusters)
        {
            throw new ArgumentException($"k-means with {clusters} clusters needs at least {clusters} points, got {points.Count}", nameof(points));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        var dimension = points[0].Length;
        if (points.Any(p => p.Length != dimension))
        {
            throw new ArgumentException("every point must have the same dimension", nameof(points));
        }

        var centres = PlusPlusSeeds(points, clusters, (ulong)seed);
        var assignments = Enumerable.Repeat(-1, points.Count).ToArray();
        var iterations = 0;
        var converged = false;
        while (iterations < maxIterations)
        {
            iterations++;
            var changed = 0;
            Parallel.For(0, points.Count, () => 0, (i, _, count) =>
            {
                var nearest = Nearest(centres, points[i]);
                if (nearest != assignments[i])
                {
                    assignments[i] = nearest;
                    count++;
                }
                return count;
            }, count => Interlocked.Add(ref changed, count));
            if (changed == 0)
            {
                converged = true;
                break;
            }
            centres = Means(points, assignments, centres);
        }
        return new KMeansResult(centres, assignments, iterations, converged);
    }

    /// <summary>The index of the centre nearest to <paramref name="point"/> (squared Euclidean distance; ties: the lower index).</summary>
    public static int Nearest(IReadOnlyList<float[]> centres, float[] point)
    {
        ArgumentNullException.ThrowIfNull(centres);
        ArgumentNullException.ThrowIfNull(point);
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        for (var c = 0; c < centres.Count; c++)
        {
            var distance = SquaredDistance(centres[c], point);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (c, distance);
            }
        }
        return best;
    }

    private static double SquaredDistance(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var d = 0; d < a.Length; d++)
        {
            var difference = (double)a[d] - b[d];
            sum += difference * difference;
        }
        return sum;
    }

    /// <summary>k-means++: the first centre uniformly, each next one with probability ∝ squared distance to the nearest chosen centre.</summary>
    private static float[][] PlusPlusSeeds(IReadOnlyList<float[]> points, int clusters, ulong state)
    {
        double NextUniform()
        {
            state = TrainingRun.SplitMix64(state);
            return (state >> 11) * (1.0 / (1UL << 53));
        }

        var centres = new float[clusters][];
        centres[0] = (float[])points[(int)(NextUniform() * points.Count)].Clone();
        var nearest = points.Select(p => SquaredDistance(p, centres[0])).ToArray();
        for (var c = 1; c < clusters; c++)
        {
            var total = nearest.Sum();
            int chosen;
            if (total > 0)
            {
                // The first point whose cumulative squared distance exceeds the draw: never a point already chosen
                // (distance 0 adds nothing); when rounding leaves the draw at the total, the last point with a distance.
                var target = NextUniform() * total;
                var cumulative = 0.0;
                chosen = Array.FindLastIndex(nearest, d => d > 0);
                for (var i = 0; i < points.Count; i++)
                {
                    cumulative += nearest[i];
                    if (cumulative > target)
                    {
                        chosen = i;
                        break;
                    }
                }
            }
            else
            {
                // Fewer distinct points than clusters: the remaining centres coincide with chosen ones and stay empty.
                chosen = (int)(NextUniform() * points.Count);
            }
            centres[c] = (float[])points[chosen].Clone();
            for (var i = 0; i < points.Count; i++)
            {
                nearest[i] = Math.Min(nearest[i], SquaredDistance(points[i], centres[c]));
            }
        }
        return centres;
    }

    /// <summary>Each cluster's mean, summed in point order; an empty cluster keeps its centre.</summary>
    private static float[][] Means(IReadOnlyList<float[]> points, int[] assignments, float[][] previous)
    {
        var dimension = previous[0].Length;
        var sums = new double[previous.Length, dimension];
        var counts = new long[previous.Length];
        for (var i = 0; i < points.Count; i++)
        {
            var cluster = assignments[i];
            counts[cluster]++;
            for (var d = 0; d < dimension; d++)
            {
                sums[cluster, d] += points[i][d];
            }
        }
        var centres = new float[previous.Length][];
        for (var c = 0; c < previous.Length; c++)
        {
            centres[c] = counts[c] == 0
                ? previous[c]
                : Enumerable.Range(0, dimension).Select(d => (float)(sums[c, d] / counts[c])).ToArray();
        }
        return centres;
    }
}
