using System.Globalization;
using SerNotebooks.Data;
using SerNotebooks.Data.CremaD;
using static SerNotebooks.Tests.Data.TestWav;

namespace SerNotebooks.Tests.Data;

public class CremaDPrepareTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static byte[] Speechless(int rate, double seconds, Kind kind = Kind.Pcm, int bits = 16, int channels = 1, bool extensible = false) =>
        Encode(Sine(220, 0.3, rate, seconds, Enumerable.Repeat(1.0, channels).ToArray()), rate, kind, bits, extensible);

    /// <summary>Odd-but-valid files (expected labels) and broken ones (expected reason), CREMA-D layout.</summary>
    private static readonly (string Name, string Reason)[] Broken =
    [
        ("AudioWAV/1007_MTI_ANG_XX.wav", "truncated"),
        ("AudioWAV/1008_IWL_ANG_XX.wav", "empty (0 bytes)"),
        ("AudioWAV/1009_ITH_ANG_XX.wav", "not a RIFF/WAVE file"),
        ("AudioWAV/1010_DFA_ANG.wav", "does not follow CREMA-D's ActorID_Sentence_Emotion_Level"),
        ("AudioWAV/1011_DFA_XYZ_XX.wav", "unknown emotion code 'XYZ'"),
        ("AudioWAV/1012_DFA_ANG_XX.wav", "too short"),
        ("AudioWAV/1076_MTI_SAD_XX.wav", "known CREMA-D defect: this clip has no audio"),
        ("AudioWAV/notes.txt", "not a .wav file"),
    ];

    private string BuildCorpus(bool withDemographics = true, string audioFolder = "AudioWAV/")
    {
        string F(string name) => audioFolder + name;
        _folder.File(F("1001_DFA_ANG_XX.wav"), Speechless(16_000, 2.2));
        _folder.File(F("1002_IEO_HAP_HI.wav"), Speechless(44_100, 2.0, channels: 2));
        _folder.File(F("1003_TIE_SAD_XX.wav"), Speechless(48_000, 1.8, Kind.Float, 32));
        _folder.File(F("1004_IOM_FEA_XX.wav"), Speechless(22_050, 2.5, Kind.Pcm, 8));
        _folder.File(F("1005_IWW_DIS_XX.wav"), Speechless(48_000, 2.1, Kind.Pcm, 24, channels: 2, extensible: true));
        _folder.File(F("1006_TAI_NEU_XX.wav"), Encode([new float[40_000]], 16_000, Kind.Pcm, 16));
        _folder.File(F("1001_IEO_SAD_LO.wav"), Speechless(16_000, 1.2));
        _folder.File(F("1004_WSI_NEU_XX.wav"), Speechless(16_000, 3.0, Kind.Float, 64));
        if (audioFolder == "AudioWAV/")
        {
            _folder.File("AudioWAV/1007_MTI_ANG_XX.wav", Truncated(Sine(220, 0.3, 16_000, 2.0), 16_000, 0.5));
            _folder.File("AudioWAV/1008_IWL_ANG_XX.wav", []);
            _folder.File("AudioWAV/1009_ITH_ANG_XX.wav", "this is not audio"u8.ToArray());
            _folder.File("AudioWAV/1010_DFA_ANG.wav", Speechless(16_000, 2.0));
            _folder.File("AudioWAV/1011_DFA_XYZ_XX.wav", Speechless(16_000, 2.0));
            _folder.File("AudioWAV/1012_DFA_ANG_XX.wav", Speechless(16_000, 0.4));
            _folder.File("AudioWAV/1076_MTI_SAD_XX.wav", Build(Format(1, 1, 1, 16_000, 16), []));
            _folder.File("AudioWAV/notes.txt", "notes"u8.ToArray());
        }
        if (withDemographics)
        {
            // Invented rows in the real file's format (the real metadata never enters the repository).
            var rows = Enumerable.Range(1001, 12).Select(id => $"{id},{20 + id % 40},\"{(id % 2 == 0 ? "Female" : "Male")}\",\"Caucasian\",\"Not Hispanic\"");
            _folder.File("VideoDemographics.csv", System.Text.Encoding.UTF8.GetBytes(
                "\"ActorID\",\"Age\",\"Sex\",\"Race\",\"Ethnicity\"\n" + string.Join("\n", rows) + "\n"));
        }
        return _folder.Path;
    }

    [Fact]
    public void MixedFolderAcceptsValidFilesListsEachRejectedOneAndExitsZero()
    {
        var root = BuildCorpus();
        var output = Path.Combine(_folder.Path, "out");

        var (exit, text) = CliHarness.Prepare("crema-d", "--root", root, "--out", output);

        Assert.True(exit == 0, text);
        foreach (var (name, reason) in Broken)
        {
            Assert.Contains(name, text);
            Assert.Contains(reason, text);
        }
        var rejected = File.ReadAllLines(Path.Combine(output, RejectedFile.ReportFileName));
        Assert.Equal("file,reason", rejected[0]);
        Assert.Equal(Broken.Length, rejected.Length - 1);
        foreach (var (name, reason) in Broken)
        {
            Assert.Single(rejected, line => line.StartsWith(name + ",", StringComparison.Ordinal) && line.Contains(reason));
        }

        var manifest = Manifest.Load(output);
        Assert.Equal(root.TrimEnd('/'), manifest.DataRoot);
        var byId = manifest.Entries.ToDictionary(e => e.Id);
        Assert.Equal(
            ["1001_DFA_ANG_XX", "1001_IEO_SAD_LO", "1002_IEO_HAP_HI", "1003_TIE_SAD_XX", "1004_IOM_FEA_XX", "1004_WSI_NEU_XX", "1005_IWW_DIS_XX", "1006_TAI_NEU_XX"],
            manifest.Entries.Select(e => e.Id));
        Assert.Equal(("1002", "happiness", "high", "IEO", "female", 22),
            (byId["1002_IEO_HAP_HI"].Speaker, byId["1002_IEO_HAP_HI"].Emotion, byId["1002_IEO_HAP_HI"].Level, byId["1002_IEO_HAP_HI"].Sentence, byId["1002_IEO_HAP_HI"].Sex, byId["1002_IEO_HAP_HI"].Age));
        Assert.Equal(("1001", "sadness", "low", "male"), (byId["1001_IEO_SAD_LO"].Speaker, byId["1001_IEO_SAD_LO"].Emotion, byId["1001_IEO_SAD_LO"].Level, byId["1001_IEO_SAD_LO"].Sex));
        Assert.Equal(("anger", "unspecified"), (byId["1001_DFA_ANG_XX"].Emotion, byId["1001_DFA_ANG_XX"].Level));
        Assert.Equal("fear", byId["1004_IOM_FEA_XX"].Emotion);
        Assert.Equal("disgust", byId["1005_IWW_DIS_XX"].Emotion);
        Assert.Equal("neutral", byId["1006_TAI_NEU_XX"].Emotion);
        Assert.Equal("AudioWAV/1003_TIE_SAD_XX.wav", byId["1003_TIE_SAD_XX"].AudioPath);
        Assert.True(File.Exists(manifest.Resolve(byId["1003_TIE_SAD_XX"].AudioPath)));
        Assert.Equal("float32 48000 Hz 1 ch", byId["1003_TIE_SAD_XX"].Extras["source_format"]);
        Assert.Equal("pcm24 48000 Hz 2 ch", byId["1005_IWW_DIS_XX"].Extras["source_format"]);
        Assert.Equal("2.500", byId["1004_IOM_FEA_XX"].Extras["duration"]);
        Assert.Equal("true", byId["1006_TAI_NEU_XX"].Extras["digital_silence"]);
        Assert.False(byId["1001_DFA_ANG_XX"].Extras.ContainsKey("digital_silence"));

        // Speaker-independent: one split per speaker, every split present, and the split table agrees.
        var splitOfSpeaker = manifest.Entries.GroupBy(e => e.Speaker).ToDictionary(g => g.Key, g => g.Select(e => e.Split).Distinct().Single());
        Assert.Equal(["dev", "test", "train"], splitOfSpeaker.Values.Distinct().Order());
        var table = SerNotebooks.Data.Splits.ActorSplitTable.Read(Path.Combine(output, CremaDPreparer.SplitsFileName));
        Assert.Equal(splitOfSpeaker.OrderBy(p => p.Key), table.Select(a => new KeyValuePair<string, string?>(a.Actor, a.Split)));
        Assert.Contains("generated", manifest.Metadata.SplitProtocol);
        // Six actors (1001–1006; the rejected ones contribute none): 1 dev, 1 test, 4 train, as the
        // seeded generator assigns them from the actors' sex in VideoDemographics.csv.
        Assert.Equal([1, 1, 4], new[] { "dev", "test", "train" }.Select(s => splitOfSpeaker.Values.Count(v => v == s)));
        var expected = SerNotebooks.Data.Splits.ActorSplitGenerator.TrainDevTest(
            Enumerable.Range(1001, 6).Select(id => new SerNotebooks.Data.Splits.ActorInfo(id.ToString(), id % 2 == 0 ? "female" : "male")),
            CremaDCorpus.SplitSeed);
        Assert.Equal(expected, table);
    }

    [Fact]
    public void CommittedAndSessionProtocolsAssignActorsFromTheTables()
    {
        var root = BuildCorpus();
        var committed = CremaDPreparer.Prepare(root, new CremaDPrepareOptions { SplitProtocol = CremaDSplitProtocols.Committed });
        var table = CremaDCorpus.CommittedTrainDevTest.ToDictionary(a => a.Actor, a => a.Split);
        Assert.All(committed.Manifest.Entries, e => Assert.Equal(table[e.Speaker], e.Split));

        var sessions = CremaDPreparer.Prepare(root, new CremaDPrepareOptions { SplitProtocol = CremaDSplitProtocols.FiveSessions });
        Assert.All(sessions.Manifest.Entries, e => Assert.Equal("session1", e.Split));

        var folds = CremaDPreparer.Prepare(root, new CremaDPrepareOptions { SplitProtocol = "kfold-3" });
        Assert.Equal(3, folds.Manifest.Entries.Select(e => e.Split).Distinct().Count());
        Assert.All(folds.Manifest.Entries.GroupBy(e => e.Speaker), g => Assert.Single(g.Select(e => e.Split).Distinct()));
    }

    [Fact]
    public void OutputIsDeterministicWhateverTheParallelism()
    {
        var root = BuildCorpus();
        var a = Path.Combine(_folder.Path, "a");
        var b = Path.Combine(_folder.Path, "b");
        CremaDPreparer.PrepareAndSave(root, a, new CremaDPrepareOptions { MaxDegreeOfParallelism = 1 });
        CremaDPreparer.PrepareAndSave(root, b, new CremaDPrepareOptions { MaxDegreeOfParallelism = 8 });
        foreach (var file in new[] { Manifest.CsvFileName, Manifest.MetadataFileName, RejectedFile.ReportFileName, CremaDPreparer.SplitsFileName })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, file)), File.ReadAllBytes(Path.Combine(b, file)));
        }
    }

    [Fact]
    public void AFolderOfWavsWithoutAudioWavSubfolderWorks()
    {
        var root = BuildCorpus(withDemographics: false, audioFolder: "");
        var result = CremaDPreparer.Prepare(root);
        Assert.Equal(8, result.Manifest.Entries.Count);
        Assert.Empty(result.Rejected);
        Assert.Equal("1001_DFA_ANG_XX.wav", result.Manifest.Entries[0].AudioPath);
        Assert.All(result.Manifest.Entries, e => Assert.Null(e.Sex));
    }

    [Fact]
    public void ClipsListedInSentenceFilenamesButMissingAreReported()
    {
        var root = BuildCorpus();
        _folder.File("SentenceFilenames.csv", "\"Stimulus_Number\",\"Filename\"\n1,\"1001_DFA_ANG_XX\"\n2,\"1064_TIE_SAD_XX\"\n"u8.ToArray());
        var result = CremaDPreparer.Prepare(root);
        var missing = Assert.Single(result.Rejected, r => r.File == "AudioWAV/1064_TIE_SAD_XX.wav");
        Assert.Contains("missing: listed in SentenceFilenames.csv", missing.Reason);
        Assert.Contains("known CREMA-D defect: this clip has zero duration", missing.Reason);
    }

    [Fact]
    public void TwoActorsOfUnknownSexGetAManifestAndARejectionReportWithoutASplit()
    {
        // No VideoDemographics.csv (sex unknown) and two actors: no speaker-independent train/dev/test split exists.
        _folder.File("AudioWAV/1001_DFA_ANG_XX.wav", Speechless(16_000, 2.0));
        _folder.File("AudioWAV/1001_IEO_NEU_XX.wav", Speechless(16_000, 2.0));
        _folder.File("AudioWAV/1002_TIE_SAD_XX.wav", Speechless(16_000, 2.0));
        _folder.File("AudioWAV/1002_IOM_HAP_XX.wav", []);
        var output = Path.Combine(_folder.Path, "out");

        var (exit, text) = CliHarness.Prepare("crema-d", "--root", _folder.Path, "--out", output);

        Assert.True(exit == 0, text);
        Assert.DoesNotContain("error", text);
        Assert.Contains("no split", text);
        Assert.Contains("1001 (unknown)", text);
        Assert.Contains("1002 (unknown)", text);
        Assert.Contains("at least 3 actors", text);
        var manifest = Manifest.Load(output);
        Assert.Equal(["1001_DFA_ANG_XX", "1001_IEO_NEU_XX", "1002_TIE_SAD_XX"], manifest.Entries.Select(e => e.Id));
        Assert.All(manifest.Entries, e => Assert.True(string.IsNullOrEmpty(e.Split)));
        Assert.Contains("no split", manifest.Metadata.SplitProtocol);
        var rejected = File.ReadAllLines(Path.Combine(output, RejectedFile.ReportFileName));
        Assert.Single(rejected, line => line.StartsWith("AudioWAV/1002_IOM_HAP_XX.wav,", StringComparison.Ordinal));
        Assert.Empty(SerNotebooks.Data.Splits.ActorSplitTable.Read(Path.Combine(output, CremaDPreparer.SplitsFileName)));

        // The same from code, and for k-fold with more folds than actors.
        var folds = CremaDPreparer.Prepare(_folder.Path, new CremaDPrepareOptions { SplitProtocol = "kfold-5" });
        Assert.Empty(folds.Splits);
        Assert.Contains("5-fold split needs at least 5 actors", folds.SplitDescription);
    }

    [Fact]
    public void NothingUsableOrNoRootIsAnError()
    {
        _folder.File("AudioWAV/1001_DFA_ANG_XX.wav", []);
        var (exit, text) = CliHarness.Prepare("crema-d", "--root", _folder.Path, "--out", Path.Combine(_folder.Path, "out"));
        Assert.Equal(1, exit);
        Assert.Contains("no usable clip", text);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "out", Manifest.CsvFileName)));
        Assert.True(File.Exists(Path.Combine(_folder.Path, "out", RejectedFile.ReportFileName)));

        var missing = Path.Combine(_folder.Path, "no-such-corpus");
        (exit, text) = CliHarness.Prepare("crema-d", "--root", missing, "--out", Path.Combine(_folder.Path, "out2"));
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", text);

        (exit, text) = CliHarness.Prepare("crema-d", "--root", _folder.Path, "--out", Path.Combine(_folder.Path, "out3"), "--split-protocol", "by-vibes");
        Assert.Equal(2, exit);
        Assert.Contains("unknown split protocol", text);
    }

    [Fact]
    public void SplitTablesCommandWritesTheCommittedFiles()
    {
        var demographics = TestWav.CremaDMetadata(CremaDCorpus.DemographicsFileName);
        Assert.True(File.Exists(demographics), demographics);
        var output = Path.Combine(_folder.Path, "splits");
        var (exit, text) = CliHarness.Prepare("crema-d-splits", "--demographics", demographics, "--out", output);
        Assert.True(exit == 0, text);
        foreach (var name in new[] { CremaDCorpus.TrainDevTestTableName, CremaDCorpus.FiveSessionsTableName })
        {
            Assert.Equal(File.ReadAllBytes(RepositoryFile("data-manifests/crema-d/splits/" + name)), File.ReadAllBytes(Path.Combine(output, name)));
        }
        Assert.Contains(CultureInfo.InvariantCulture.TextInfo.ToLower("train"), text);
    }
}
