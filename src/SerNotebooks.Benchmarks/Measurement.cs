using System.Diagnostics;

namespace SerNotebooks.Benchmarks;

/// <summary>Wall-clock timing with warm-up runs (JIT, tiered compilation, file cache) and the median of repetitions.</summary>
internal static class Measurement
{
    public static TimeSpan Median(Action action, int warmups, int repetitions)
    {
        for (var i = 0; i < warmups; i++)
        {
            action();
        }
        var times = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            action();
            times[i] = stopwatch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return TimeSpan.FromMilliseconds(times[repetitions / 2]);
    }
}
