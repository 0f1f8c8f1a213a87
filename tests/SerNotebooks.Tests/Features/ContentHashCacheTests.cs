using SerNotebooks.Features;

namespace SerNotebooks.Tests.Features;

public class ContentHashCacheTests
{
    /// <summary>A file written "long ago", so the racy-clean rule lets its hash be remembered.</summary>
    private static string OldFile(TemporaryDirectory folder, string name, byte[] content)
    {
        var path = folder.File(name);
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-5));
        return path;
    }

    [Fact]
    public void AnUnchangedFileIsAHitInANewProcessAndATouchedOneIsHashedAgain()
    {
        using var folder = new TemporaryDirectory();
        var audio = OldFile(folder, "a.wav", [1, 2, 3, 4]);
        var store = folder.File("cache/content-hashes.tsv");
        var first = new ContentHashCache(store);
        var hash = first.HashOf(audio);
        Assert.Equal(FeatureCache.HashFile(audio), hash);
        Assert.Equal((0, 1), first.Statistics);
        first.Save();

        var second = new ContentHashCache(store); // as another run would
        Assert.Equal(hash, second.HashOf(audio));
        Assert.Equal((1, 0), second.Statistics);

        // Same size, new content, new write time: a miss with the new hash.
        File.WriteAllBytes(audio, [9, 9, 9, 9]);
        File.SetLastWriteTimeUtc(audio, DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal(FeatureCache.HashFile(audio), second.HashOf(audio));
        Assert.NotEqual(hash, second.HashOf(audio));
        Assert.Equal((2, 1), second.Statistics);

        // Only touched (same bytes, new time): hashed again, same hash.
        File.SetLastWriteTimeUtc(audio, DateTime.UtcNow.AddMinutes(-2));
        var third = new ContentHashCache(store);
        _ = third.HashOf(audio);
        Assert.Equal((0, 1), third.Statistics);
    }

    [Fact]
    public void AFileWrittenJustNowIsNotRemembered()
    {
        using var folder = new TemporaryDirectory();
        var audio = folder.File("fresh.wav");
        File.WriteAllBytes(audio, [1, 2, 3]);
        var cache = new ContentHashCache(folder.File("content-hashes.tsv"));
        cache.HashOf(audio);
        cache.HashOf(audio);
        Assert.Equal((0, 2), cache.Statistics); // racy: its time stamp cannot yet tell a same-size rewrite apart
    }

    [Fact]
    public void ATornOrEditedFileIsIgnoredAndOverwritten()
    {
        using var folder = new TemporaryDirectory();
        var audio = OldFile(folder, "a.wav", [1, 2, 3, 4]);
        var store = folder.File("content-hashes.tsv");
        var writer = new ContentHashCache(store);
        writer.HashOf(audio);
        writer.Save();
        var intact = File.ReadAllBytes(store);

        foreach (var damaged in new[] { intact[..^7], intact[..(intact.Length / 2)], Edited(intact) })
        {
            File.WriteAllBytes(store, damaged);
            var problems = new List<string>();
            var reader = new ContentHashCache(store, problems.Add);
            Assert.Single(problems);
            Assert.Contains(store, problems[0]);
            reader.HashOf(audio);
            Assert.Equal((0, 1), reader.Statistics);
            reader.Save();
            Assert.Equal((1, 0), WithHit(store, audio));
        }
    }

    [Fact]
    public void SavesFromTwoProcessesMerge()
    {
        using var folder = new TemporaryDirectory();
        var a = OldFile(folder, "a.wav", [1]);
        var b = OldFile(folder, "b.wav", [2]);
        var store = folder.File("content-hashes.tsv");
        var one = new ContentHashCache(store);
        var two = new ContentHashCache(store);
        one.HashOf(a);
        two.HashOf(b);
        one.Save();
        two.Save();
        var reader = new ContentHashCache(store);
        reader.HashOf(a);
        reader.HashOf(b);
        Assert.Equal((2, 0), reader.Statistics);
    }

    private static (int, int) WithHit(string store, string audio)
    {
        var cache = new ContentHashCache(store);
        cache.HashOf(audio);
        return cache.Statistics;
    }

    private static byte[] Edited(byte[] intact)
    {
        var copy = intact.ToArray();
        copy[30] ^= 0x01;
        return copy;
    }
}
