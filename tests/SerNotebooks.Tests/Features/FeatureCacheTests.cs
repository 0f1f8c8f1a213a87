using SerNotebooks.Features;

namespace SerNotebooks.Tests.Features;

public class FeatureCacheTests
{
    private static readonly FeatureExtractorConfig WithPitch = new() { Pitch = new PitchConfig() };

    [Fact]
    public void SecondPassIsACacheHitWithIdenticalFeatures()
    {
        using var folder = new TemporaryDirectory();
        var wav = folder.File("clip.wav");
        TestSignals.WriteFloatWav(wav, TestSignals.Speechlike(12_345, seed: 1));
        var cache = new FeatureCache(folder.File("cache"));
        var extractor = new FeatureExtractor(WithPitch, cache);

        var first = extractor.Extract(wav);
        Assert.Equal(new FeatureCacheStatistics(0, 1, 0), cache.Statistics);
        var second = extractor.Extract(wav);
        Assert.Equal(new FeatureCacheStatistics(1, 1, 0), cache.Statistics);

        AssertSame(first, second);
        Assert.Equal(78, second.Frames);
        Assert.Equal(12_345, second.SampleCount);
    }

    [Fact]
    public void CachedFeaturesEqualUncachedOnes()
    {
        using var folder = new TemporaryDirectory();
        var wav = folder.File("clip.wav");
        TestSignals.WriteFloatWav(wav, TestSignals.Speechlike(8000, seed: 2));
        var cached = new FeatureExtractor(WithPitch, new FeatureCache(folder.File("cache")));
        cached.Extract(wav);
        AssertSame(new FeatureExtractor(WithPitch).Extract(wav), cached.Extract(wav));
    }

    [Fact]
    public void KeyIsTheContentSoACopyUnderAnotherNameHits()
    {
        using var folder = new TemporaryDirectory();
        var wav = folder.File("a.wav");
        TestSignals.WriteFloatWav(wav, TestSignals.Speechlike(8000, seed: 3));
        File.Copy(wav, folder.File("b.wav"));
        var cache = new FeatureCache(folder.File("cache"));
        var extractor = new FeatureExtractor(cache: cache);
        extractor.Extract(wav);
        extractor.Extract(folder.File("b.wav"));
        Assert.Equal(1, cache.Statistics.Hits);
    }

    [Fact]
    public void ChangedSettingsOrChangedAudioMiss()
    {
        using var folder = new TemporaryDirectory();
        var wav = folder.File("clip.wav");
        TestSignals.WriteFloatWav(wav, TestSignals.Speechlike(8000, seed: 4));
        var cache = new FeatureCache(folder.File("cache"));
        var before = new FeatureExtractor(cache: cache).Extract(wav);
        var fewerBands = new FeatureExtractor(new FeatureExtractorConfig { LogMel = new LogMelConfig { NMels = 40 } }, cache).Extract(wav);
        new FeatureExtractor(new FeatureExtractorConfig { SpeechMask = new SpeechMaskConfig { RelativeThresholdDb = 30 } }, cache).Extract(wav);
        TestSignals.WriteFloatWav(wav, TestSignals.Speechlike(8000, seed: 5));
        var after = new FeatureExtractor(cache: cache).Extract(wav);

        Assert.Equal(new FeatureCacheStatistics(0, 4, 0), cache.Statistics);
        Assert.Equal(40, fewerBands.LogMel.Bands);
        Assert.False(before.LogMel.AsSpan().SequenceEqual(after.LogMel.AsSpan()));
    }

    public static TheoryData<string> Corruptions => new() { "flip", "truncate", "empty", "garbage-header" };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptEntryIsReportedRecomputedAndRewritten(string corruption)
    {
        using var folder = new TemporaryDirectory();
        var wav = folder.File("clip.wav");
        TestSignals.WriteFloatWav(wav, TestSignals.Speechlike(9000, seed: 6));
        var problems = new List<string>();
        var cache = new FeatureCache(folder.File("cache"), problems.Add);
        var extractor = new FeatureExtractor(WithPitch, cache);
        var original = extractor.Extract(wav);
        var entry = cache.EntryPath(FeatureCache.HashFile(wav), WithPitch);
        var bytes = File.ReadAllBytes(entry);
        switch (corruption)
        {
            case "flip":
                bytes[bytes.Length / 2] ^= 0x10;
                break;
            case "truncate":
                bytes = bytes[..(bytes.Length - 100)];
                break;
            case "empty":
                bytes = [];
                break;
            default:
                bytes[0] = (byte)'X';
                break;
        }
        File.WriteAllBytes(entry, bytes);

        var recomputed = extractor.Extract(wav);

        AssertSame(original, recomputed);
        var problem = Assert.Single(problems);
        Assert.Contains(entry, problem);
        Assert.Equal(1, cache.Statistics.Rejected);
        extractor.Extract(wav);
        Assert.Equal(1, cache.Statistics.Hits);
    }

    [Fact]
    public void EntryForOtherContentIsNotTrusted()
    {
        using var folder = new TemporaryDirectory();
        var a = folder.File("a.wav");
        var b = folder.File("b.wav");
        TestSignals.WriteFloatWav(a, TestSignals.Speechlike(8000, seed: 7));
        TestSignals.WriteFloatWav(b, TestSignals.Speechlike(8000, seed: 8));
        var problems = new List<string>();
        var cache = new FeatureCache(folder.File("cache"), problems.Add);
        var extractor = new FeatureExtractor(cache: cache);
        extractor.Extract(a);
        var config = new FeatureExtractorConfig();
        var entryB = cache.EntryPath(FeatureCache.HashFile(b), config);
        Directory.CreateDirectory(Path.GetDirectoryName(entryB)!);
        File.Copy(cache.EntryPath(FeatureCache.HashFile(a), config), entryB);

        var features = extractor.Extract(b);

        Assert.Contains("different audio content", Assert.Single(problems));
        AssertSame(new FeatureExtractor().Extract(b), features);
    }

    private static void AssertSame(FeatureSet expected, FeatureSet actual)
    {
        Assert.Equal(expected.Frames, actual.Frames);
        Assert.Equal(expected.LogMel.Bands, actual.LogMel.Bands);
        Assert.True(expected.LogMel.AsSpan().SequenceEqual(actual.LogMel.AsSpan()));
        Assert.Equal(expected.LogEnergyDb, actual.LogEnergyDb);
        Assert.Equal(expected.SpeechMask, actual.SpeechMask);
        Assert.Equal(expected.SampleCount, actual.SampleCount);
        Assert.Equal(expected.Pitch is null, actual.Pitch is null);
        if (expected.Pitch is not null)
        {
            Assert.Equal(expected.Pitch.F0Hz, actual.Pitch!.F0Hz);
            Assert.Equal(expected.Pitch.Voiced, actual.Pitch.Voiced);
            Assert.Equal(expected.Pitch.Aperiodicity, actual.Pitch.Aperiodicity);
        }
    }
}
