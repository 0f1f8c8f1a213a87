using NAudio.Wave;
using SerNotebooks.Audio;
using SerNotebooks.Features;

namespace SerNotebooks.Benchmarks;

/// <summary>Front-end speed on one thread: log-mel throughput and what the feature cache saves.</summary>
internal static class FeatureBenchmarks
{
    private const int SampleRate = 16_000;

    public static void LogMel()
    {
        const double seconds = 60;
        var samples = Speechlike((int)(seconds * SampleRate), seed: 1);
        var logMel = new LogMelSpectrogram();
        var extractor = new FeatureExtractor();
        var withPitch = new FeatureExtractor(new FeatureExtractorConfig { Pitch = new PitchConfig() });
        var signal = new AudioSignal(samples, SampleRate);

        Report("log-mel (64 bands, 512-point FFT)", seconds, Measurement.Median(() => logMel.Compute(samples), warmups: 3, repetitions: 9));
        Report("log-mel + energy + speech mask", seconds, Measurement.Median(() => extractor.Compute(signal), warmups: 2, repetitions: 7));
        Report("… + F0 (YIN, 50–500 Hz)", seconds, Measurement.Median(() => withPitch.Compute(signal), warmups: 1, repetitions: 3));
    }

    public static void Cache()
    {
        const int files = 40;
        const double secondsPerFile = 2.5; // a typical CREMA-D clip
        var folder = Path.Combine(Path.GetTempPath(), "sernb-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var paths = Enumerable.Range(0, files).Select(i =>
            {
                var path = Path.Combine(folder, $"clip{i:D3}.wav");
                using var writer = new WaveFileWriter(path, new WaveFormat(SampleRate, 16, 1));
                var samples = Speechlike((int)(secondsPerFile * SampleRate), seed: i);
                writer.WriteSamples(samples, 0, samples.Length);
                return path;
            }).ToArray();

            var uncached = new FeatureExtractor();
            var noCache = Measurement.Median(() => ExtractAll(uncached, paths), warmups: 1, repetitions: 5);

            var round = 0;
            var cold = Measurement.Median(() =>
            {
                var cache = new FeatureCache(Path.Combine(folder, $"cache-cold-{round++}"));
                ExtractAll(new FeatureExtractor(cache: cache), paths);
            }, warmups: 1, repetitions: 5);

            var warmCache = new FeatureCache(Path.Combine(folder, "cache-warm"));
            var warmExtractor = new FeatureExtractor(cache: warmCache);
            ExtractAll(warmExtractor, paths);
            var hit = Measurement.Median(() => ExtractAll(warmExtractor, paths), warmups: 2, repetitions: 9);
            if (warmCache.Statistics.Hits != files * 11)
            {
                throw new InvalidOperationException($"Expected every warm read to hit, got {warmCache.Statistics}.");
            }

            Console.WriteLine($"{files} WAV files × {secondsPerFile} s (16-bit, 16 kHz), log-mel + energy + speech mask, one thread:");
            PerFile("no cache (load + compute)", noCache, files);
            PerFile("cold cache (hash + load + compute + write)", cold, files);
            PerFile("cache hit (hash + read + verify)", hit, files);
            Console.WriteLine($"  speed-up of a cache hit: {noCache / hit:0.0}× over computing, {cold / hit:0.0}× over a cold-cache pass");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void ExtractAll(FeatureExtractor extractor, string[] paths)
    {
        foreach (var path in paths)
        {
            extractor.Extract(path);
        }
    }

    private static void Report(string name, double audioSeconds, TimeSpan elapsed) =>
        Console.WriteLine($"{name,-36} {audioSeconds:0} s of audio in {elapsed.TotalMilliseconds,8:0.0} ms  = {audioSeconds / elapsed.TotalSeconds,7:0}× real time");

    private static void PerFile(string name, TimeSpan elapsed, int files) =>
        Console.WriteLine($"  {name,-44} {elapsed.TotalMilliseconds / files,7:0.000} ms per file");

    private static float[] Speechlike(int count, int seed)
    {
        var random = new Random(seed);
        var x = new float[count];
        for (var i = 0; i < count; i++)
        {
            var t = i / (double)SampleRate;
            var syllable = 0.5 + 0.5 * Math.Sin(2 * Math.PI * 4 * t);
            x[i] = (float)(0.3 * syllable * Math.Sin(2 * Math.PI * (120 + 30 * Math.Sin(2 * Math.PI * 0.5 * t)) * t) + 0.02 * (random.NextDouble() * 2 - 1));
        }
        return x;
    }
}
