using SerNotebooks.Data;
using SerNotebooks.Data.AvCorpus;
using static SerNotebooks.Tests.Data.TestWav;

namespace SerNotebooks.Tests.Data;

public class AvCorpusPrepareTests : IDisposable
{
    private const string OpenFaceHeader = "frame, face_id, timestamp, confidence, success, AU01_r, AU01_c\n";
    private const string OpenFaceRow = "1, 0, 0.000, 0.98, 1, 0.5, 1\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private void Audio(string path, double seconds = 1.5) =>
        _folder.File(path, Encode(Sine(180, 0.3, 16_000, seconds), 16_000, Kind.Pcm, 16));

    private void OpenFace(string path, string? content = null) =>
        _folder.File(path, System.Text.Encoding.UTF8.GetBytes(content ?? OpenFaceHeader + OpenFaceRow));

    [Fact]
    public void PairsByStemAcrossFoldersAndReportsTheUnpaired()
    {
        Audio("audio/spkA_0001.wav");
        OpenFace("openface/spkA_0001.csv");
        _folder.File("video/spkA_0001.mp4", [1, 2, 3]);
        Audio("audio/spkB_0002.wav");
        _folder.File("video/spkB_0002.avi", [1, 2, 3]);
        Audio("audio/spkC_0003.wav");                         // no partner
        OpenFace("openface/spkD_0004.csv");                    // no audio
        OpenFace("openface/spkE_0005.csv", "a,b,c\n1,2,3\n");  // not OpenFace
        Audio("audio/spkE_0005.wav");
        _folder.File("audio/spkF_0006.wav", []);               // broken audio
        OpenFace("openface/spkF_0006.csv");

        var output = Path.Combine(_folder.Path, "..", Path.GetFileName(_folder.Path) + "-out");
        try
        {
            var (exit, text) = CliHarness.Prepare("av-corpus", "--root", _folder.Path, "--out", output);
            Assert.True(exit == 0, text);

            var manifest = Manifest.Load(output);
            Assert.Equal(SerNotebooks.Data.ManifestMetadata.UnlabelledKind, manifest.Metadata.Kind);
            Assert.Equal(["audio/spkA_0001", "audio/spkB_0002"], manifest.Entries.Select(e => e.Id));
            var a = manifest.Entries[0];
            Assert.Equal(("spkA", "openface/spkA_0001.csv", "video/spkA_0001.mp4"), (a.Speaker, a.OpenFacePath, a.VideoPath));
            var b = manifest.Entries[1];
            Assert.Equal(("spkB", null, "video/spkB_0002.avi"), (b.Speaker, b.OpenFacePath, b.VideoPath));
            Assert.All(manifest.Entries, e => Assert.Null(e.Emotion));

            var unpaired = File.ReadAllLines(Path.Combine(output, AvCorpusPreparer.UnpairedFileName));
            Assert.Contains("audio/spkC_0003.wav,audio without OpenFace CSV or video", unpaired);
            Assert.Contains("audio/spkE_0005.wav,audio without OpenFace CSV or video", unpaired);
            Assert.Contains("openface/spkD_0004.csv,OpenFace CSV without audio", unpaired);
            Assert.Contains("openface/spkF_0006.csv,OpenFace CSV without audio", unpaired);
            var rejected = File.ReadAllText(Path.Combine(output, RejectedFile.ReportFileName));
            Assert.Contains("audio/spkF_0006.wav,file is empty (0 bytes)", rejected);
            Assert.Contains("openface/spkE_0005.csv,not an OpenFace CSV: header lacks 'timestamp' and 'success'", rejected);
            Assert.Contains("spkC_0003.wav", text);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void RepeatedStemsArePairedByFolderOrRejectedAsAmbiguous()
    {
        Audio("audio/id1/00001.wav");
        Audio("audio/id2/00001.wav");
        OpenFace("openface/id1/00001.csv");
        OpenFace("openface/id2/00001.csv");
        Audio("x/00002.wav");
        Audio("y/00002.wav");
        OpenFace("z/00002.csv");

        var result = AvCorpusPreparer.Prepare(_folder.Path, new AvCorpusOptions { SpeakerRule = SpeakerRule.ParentFolder });

        Assert.Equal(
            [("audio/id1/00001.wav", "openface/id1/00001.csv", "id1"), ("audio/id2/00001.wav", "openface/id2/00001.csv", "id2")],
            result.Manifest.Entries.Select(e => (e.AudioPath, e.OpenFacePath!, e.Speaker)));
        Assert.Contains(result.Rejected, r => r.File == "z/00002.csv" && r.Reason.StartsWith("ambiguous OpenFace CSV", StringComparison.Ordinal));
        Assert.Contains(result.Unpaired, u => u.File == "x/00002.wav");
    }

    [Theory]
    [InlineData("spk07_0012.wav", SpeakerRule.StemPrefix, null, "spk07")]
    [InlineData("id10001/00001.wav", SpeakerRule.StemPrefix, null, "id10001")]
    [InlineData("00001.wav", SpeakerRule.StemPrefix, null, null)]
    [InlineData("talks/id3/spk07_0012.wav", SpeakerRule.ParentFolder, null, "id3")]
    [InlineData("talks/id3/spk07_0012.wav", SpeakerRule.Pattern, "^talks/(?<speaker>[^/]+)/", "id3")]
    [InlineData("other/id3/spk07_0012.wav", SpeakerRule.Pattern, "^talks/(?<speaker>[^/]+)/", null)]
    public void SpeakerRules(string path, SpeakerRule rule, string? pattern, string? speaker)
    {
        var regex = pattern is null ? null : new System.Text.RegularExpressions.Regex(pattern);
        Assert.Equal(speaker, AvCorpusPreparer.SpeakerOf(path, rule, regex));
    }

    [Fact]
    public void AudioOnlyClipsCanBeKeptAndRootlessNamesAreRejected()
    {
        Audio("spkA_1.wav");
        Audio("lonely.wav");
        var result = AvCorpusPreparer.Prepare(_folder.Path, new AvCorpusOptions { KeepAudioOnly = true });
        Assert.Equal("spkA", Assert.Single(result.Manifest.Entries).Speaker);
        Assert.Contains(result.Rejected, r => r.File == "lonely.wav" && r.Reason.Contains("no speaker"));
        Assert.Equal(2, result.Unpaired.Count);
    }
}
