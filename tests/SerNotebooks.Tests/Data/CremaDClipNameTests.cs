using SerNotebooks.Data.CremaD;

namespace SerNotebooks.Tests.Data;

public class CremaDClipNameTests
{
    [Fact]
    public void EveryRealCremaDNameParsesWithTheDocumentedCounts()
    {
        var path = TestWav.CremaDMetadata(CremaDCorpus.SentenceFileName);
        Assert.True(File.Exists(path), $"real CREMA-D metadata expected at {path} (shipped in data-manifests/crema-d/metadata)");
        var names = CremaDCorpus.ReadSentenceFilenames(path);
        Assert.Equal(7_442, names.Count);

        var clips = names.Select(CremaDClipName.Parse).ToList();

        Assert.Equal(names, clips.Select(c => c.ToString()));
        var perEmotion = clips.GroupBy(c => c.Emotion).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int>
        {
            ["anger"] = 1_271, ["disgust"] = 1_271, ["fear"] = 1_271, ["happiness"] = 1_271, ["sadness"] = 1_271, ["neutral"] = 1_087,
        }, perEmotion);
        var perLevel = clips.GroupBy(c => c.Level).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["low"] = 455, ["medium"] = 455, ["high"] = 455, ["unspecified"] = 6_077 }, perLevel);
        Assert.All(clips.Where(c => c.LevelCode != "XX"), c => Assert.Equal("IEO", c.SentenceCode));
        Assert.Equal(91, clips.Select(c => c.ActorId).Distinct().Count());
        Assert.Equal(12, clips.Select(c => c.SentenceCode).Distinct().Count());
    }

    [Theory]
    [InlineData("1001_DFA_ANG_XX", 1001, "DFA", "anger", "unspecified")]
    [InlineData("AudioWAV/1091_IEO_HAP_HI.wav", 1091, "IEO", "happiness", "high")]
    [InlineData("1045_WSI_NEU_XX.WAV", 1045, "WSI", "neutral", "unspecified")]
    [InlineData("1002_IEO_SAD_LO", 1002, "IEO", "sadness", "low")]
    [InlineData("1003_IEO_FEA_MD", 1003, "IEO", "fear", "medium")]
    [InlineData("1004_TSI_DIS_XX", 1004, "TSI", "disgust", "unspecified")]
    public void LabelsComeFromTheName(string name, int actor, string sentence, string emotion, string level)
    {
        var clip = CremaDClipName.Parse(name);
        Assert.Equal(actor, clip.ActorId);
        Assert.Equal(actor.ToString(), clip.Speaker);
        Assert.Equal(sentence, clip.SentenceCode);
        Assert.Equal(emotion, clip.Emotion);
        Assert.Equal(level, clip.Level);
    }

    [Theory]
    [InlineData("1001_DFA_XYZ_XX", "unknown emotion code 'XYZ'")]
    [InlineData("1001_DFA_ang_XX", "unknown emotion code 'ang'")]
    [InlineData("1001_ABC_ANG_XX", "unknown sentence code 'ABC'")]
    [InlineData("1001_DFA_ANG_ZZ", "unknown level code 'ZZ'")]
    [InlineData("1092_DFA_ANG_XX", "actor ID 1092 is outside")]
    [InlineData("1000_DFA_ANG_XX", "actor ID 1000 is outside")]
    [InlineData("1001_DFA_ANG", "does not follow")]
    [InlineData("1001-DFA-ANG-XX", "does not follow")]
    [InlineData("1001_DFA_ANG_XX_copy", "does not follow")]
    [InlineData("recording", "does not follow")]
    public void UnknownCodesAreRejectedWithTheReason(string name, string reason)
    {
        Assert.False(CremaDClipName.TryParse(name, out var clip, out var why));
        Assert.Null(clip);
        Assert.Contains(reason, why);
        Assert.Contains(reason, Assert.Throws<FormatException>(() => CremaDClipName.Parse(name)).Message);
    }
}
