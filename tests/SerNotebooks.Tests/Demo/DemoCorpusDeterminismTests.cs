using SerNotebooks.Demo;

namespace SerNotebooks.Tests.Demo;

[Collection(TinyCorpusCollection.Name)]
public class DemoCorpusDeterminismTests(TinyCorpusFixture corpus)
{
    [Fact]
    public void SameSeedGivesByteIdenticalFilesInAnotherFolder()
    {
        var other = TinyCorpusFixture.NewTemporaryFolder();
        try
        {
            DemoCorpusGenerator.Generate(other, DemoCorpusSize.Tiny, TinyCorpusFixture.Seed);
            var expected = CorpusHashes.Of(corpus.Root);
            var actual = CorpusHashes.Of(other);
            Assert.Equal(expected.Keys, actual.Keys);
            var differing = expected.Keys.Where(k => expected[k] != actual[k]).ToList();
            Assert.True(differing.Count == 0, "files differ: " + string.Join(", ", differing.Take(10)));
            Assert.Contains(expected.Keys, k => k.EndsWith(".avi", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void AnotherSeedGivesOtherAudioFacesAndLatentStates()
    {
        var other = TinyCorpusFixture.NewTemporaryFolder();
        try
        {
            DemoCorpusGenerator.Generate(other, DemoCorpusSize.Tiny, seed: 99);
            var first = CorpusHashes.Of(corpus.Root);
            var second = CorpusHashes.Of(other);
            foreach (var extension in new[] { ".wav", ".csv", ".avi" })
            {
                var shared = first.Keys.Where(k => k.EndsWith(extension, StringComparison.Ordinal) && second.ContainsKey(k)).ToList();
                Assert.NotEmpty(shared);
                Assert.All(shared, k => Assert.NotEqual(first[k], second[k]));
            }
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void RerunOverACompleteCorpusWritesNothing()
    {
        var before = Directory.EnumerateFiles(corpus.Root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var info = DemoCorpusGenerator.Generate(corpus.Root, DemoCorpusSize.Tiny, TinyCorpusFixture.Seed);
        var after = Directory.EnumerateFiles(corpus.Root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(before, after);
        Assert.True(info.Complete);
        Assert.Equal(corpus.Info, info);
    }

    [Fact]
    public void InterruptedCorpusIsCompletedToTheSameBytes()
    {
        var copy = TinyCorpusFixture.NewTemporaryFolder();
        try
        {
            CopyTree(corpus.Root, copy);
            // What an interrupted run leaves: an incomplete corpus.json, some clips and no manifests.
            var info = DemoCorpusInfo.TryLoad(copy)!;
            (info with { Complete = false }).Save(copy);
            var victims = Directory.EnumerateFiles(copy, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".wav", StringComparison.Ordinal) || f.EndsWith(".csv", StringComparison.Ordinal) || f.EndsWith(".avi", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal).Where((_, i) => i % 3 == 0).ToList();
            victims.ForEach(File.Delete);
            Directory.Delete(Path.Combine(copy, "manifests"), recursive: true);

            DemoCorpusGenerator.Generate(copy, DemoCorpusSize.Tiny, TinyCorpusFixture.Seed);

            Assert.Equal(CorpusHashes.Of(corpus.Root), CorpusHashes.Of(copy));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void ACorpusOfOtherSettingsIsNeverMixedIn()
    {
        var seedError = Assert.Throws<InvalidOperationException>(() => DemoCorpusGenerator.Generate(corpus.Root, DemoCorpusSize.Tiny, seed: 5));
        Assert.Contains("seed 1234", seedError.Message);
        Assert.Contains(DemoCorpusInfo.FileName, seedError.Message);
        var sizeError = Assert.Throws<InvalidOperationException>(() => DemoCorpusGenerator.Generate(corpus.Root, DemoCorpusSize.Demo, TinyCorpusFixture.Seed));
        Assert.Contains("size 'tiny'", sizeError.Message);

        var foreign = TinyCorpusFixture.NewTemporaryFolder();
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "notes.txt"), "mine");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => DemoCorpusGenerator.Generate(foreign, DemoCorpusSize.Tiny));
            Assert.Contains("not empty", error.Message);
        }
        finally
        {
            Directory.Delete(foreign, recursive: true);
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
