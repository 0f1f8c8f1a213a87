using SerNotebooks.Faces;
using SerNotebooks.Pretext.Tasks.AuEmotion;

namespace SerNotebooks.Tests.Faces;

public class AuPrototypeFramesTests
{
    private const string Table = """
        # comment
        class,action_units,enabled
        happiness,AU06+AU12,true
        disgust,AU09+AU15,true
        disgust,AU10+AU15,false
        """;

    [Fact]
    public void RulesTableListsEnabledRulesWithTheirFacsNames()
    {
        var rules = AuPrototypeFrames.Rules(AuPrototypeTable.Parse("rules.csv", Table));

        Assert.Equal([0, 1], rules.RowKeys);
        Assert.Equal(["happiness", "disgust"], rules.GetColumn<string>("class").Values);
        Assert.Equal("AU09 + AU15", rules.GetColumn<string>("action units")[1]);
        Assert.Equal("cheek raiser + lip corner puller", rules.GetColumn<string>("meaning")[0]);
        Assert.Equal(3, rules.GetColumn<int>("line")[0]);
    }

    [Fact]
    public void SharesMarkTheLabelledClass()
    {
        var table = AuPrototypeTable.Parse("rules.csv", Table);
        var analysis = new AuEmotionAnalysis("clip", "disgust", 1, 50,
            new Dictionary<string, double> { ["happiness"] = 0.1, ["disgust"] = 0.4 }, null, null);

        var shares = AuPrototypeFrames.Shares(analysis.Shares, analysis.Label, table);

        Assert.Equal(["happiness", "disgust", "neutral"], shares.RowKeys);
        Assert.Equal(0.4, shares.GetColumn<double>("share of usable frames")["disgust"]);
        Assert.Equal(["", "◀ label", ""], shares.GetColumn<string>("label").Values);
    }
}
