using SerNotebooks.Data;

namespace SerNotebooks.Tests.Data;

public class ManifestPathTests : IDisposable
{
    private readonly TestWav.TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string WriteManifest(string audioPath, string? openFace = null)
    {
        var dir = Path.Combine(_folder.Path, "manifest");
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory(Path.Combine(_folder.Path, "data"));
        File.WriteAllText(Path.Combine(dir, Manifest.MetadataFileName), """{"name":"t","kind":"labelled","dataRoot":"../data"}""");
        File.WriteAllText(Path.Combine(dir, Manifest.CsvFileName),
            $"id,audio,openface,speaker\nok,spk/a.wav,,s1\nbad,{audioPath},{openFace},s2\n");
        return dir;
    }

    [Theory]
    [InlineData("../outside.wav")]
    [InlineData("spk/../../outside.wav")]
    [InlineData("../data2/sibling-with-common-prefix.wav")]
    [InlineData("/etc/passwd")]
    public void EntriesEscapingTheDataRootAreRejectedWithTheLine(string path)
    {
        var dir = WriteManifest(path);
        var error = Assert.Throws<ManifestFormatException>(() => Manifest.Load(dir));
        Assert.Equal(Path.Combine(dir, Manifest.CsvFileName), error.FilePath);
        Assert.Equal(3, error.Line);
        Assert.Contains(path, error.Reason);
    }

    [Fact]
    public void OptionalPathsAreCheckedToo()
    {
        var dir = WriteManifest("spk/b.wav", "../../face.csv");
        Assert.Contains("outside the data root", Assert.Throws<ManifestFormatException>(() => Manifest.Load(dir)).Reason);
    }

    [Fact]
    public void PathsInsideTheRootResolveAndRoundTrip()
    {
        var dir = WriteManifest("spk/sub/../b.wav");
        var manifest = Manifest.Load(dir);
        Assert.Equal(Path.Combine(_folder.Path, "data", "spk", "b.wav"), manifest.Resolve(manifest.Entries[1].AudioPath));
        Assert.Throws<ManifestFormatException>(() => manifest.Resolve("../x.wav"));
        Assert.Throws<ManifestFormatException>(() => manifest.Resolve(Path.Combine(_folder.Path, "data", "x.wav")));

        var copy = Path.Combine(_folder.Path, "copy");
        var withExtras = new Manifest(manifest.Metadata with { DataRoot = "../data" }, manifest.DataRoot,
            [manifest.Entries[0] with { Emotion = "anger", Extras = new Dictionary<string, string> { ["duration"] = "2.500" } }]);
        withExtras.Save(copy);
        var reloaded = Manifest.Load(copy);
        Assert.Equal("anger", reloaded.Entries[0].Emotion);
        Assert.Equal("2.500", reloaded.Entries[0].Extras["duration"]);
        Assert.Equal(manifest.DataRoot, reloaded.DataRoot);
    }
}
