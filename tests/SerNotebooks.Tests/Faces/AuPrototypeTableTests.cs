using SerNotebooks.Faces;

namespace SerNotebooks.Tests.Faces;

public sealed class AuPrototypeTableTests
{
    private const string Header = "class,action_units,enabled\n";

    [Fact]
    public void CommittedTableHasThePaperPrototypes()
    {
        var table = AuPrototypeTable.Load();
        Assert.Equal(["happiness", "sadness", "surprise", "fear", "anger", "disgust", "neutral"], table.Classes);
        Assert.Equal(["AU06", "AU12"], table.Prototypes[0].ActionUnits);
        Assert.Equal(["AU01", "AU02", "AU04", "AU05", "AU07", "AU20", "AU26"], table.Prototypes.Single(p => p.Class == "fear").ActionUnits);
        Assert.DoesNotContain(table.Prototypes, p => p.ActionUnits.Contains("AU10"));   // the AU10 variant ships disabled
    }

    [Fact]
    public void EnabledVariantRowsAreAlternativesAndChangeTheHash()
    {
        var plain = AuPrototypeTable.Parse("t.csv", Header + "disgust,AU09+AU15,true\ndisgust,AU10+AU15,false\n");
        var variant = AuPrototypeTable.Parse("t.csv", "# edited\n" + Header + "disgust, AU9 + AU15, true\ndisgust,AU10+AU15,true\n");
        var reordered = AuPrototypeTable.Parse("t.csv", Header + "\n# comment\ndisgust,AU15+AU09,TRUE\n");
        Assert.Equal(["disgust", "neutral"], variant.Classes);
        Assert.Equal(2, variant.Prototypes.Count);
        Assert.NotEqual(plain.RulesHash, variant.RulesHash);
        Assert.Equal(plain.RulesHash, reordered.RulesHash);
    }

    [Theory]
    [InlineData("happiness,AU06+AU12\n", "t.csv:2: expected 3 fields")]
    [InlineData("happiness,AU06+AU13,true\n", "t.csv:2: AU13 is not an AU OpenFace 2.x reports")]
    [InlineData("happiness,AU06+smile,true\n", "t.csv:2: 'smile' is not an action unit")]
    [InlineData("neutral,AU06,true\n", "t.csv:2: 'neutral' is the fallback label")]
    [InlineData("Happy,AU06,true\n", "t.csv:2: class 'Happy' must be lower-case")]
    [InlineData("happiness,AU06+AU6,true\n", "t.csv:2: AU06 is listed twice")]
    [InlineData("happiness,AU06,yes\n", "t.csv:2: enabled must be 'true' or 'false'")]
    [InlineData("happiness,AU06,true\nhappiness,AU06,false\n", "t.csv:3: the rule happiness:AU06 repeats line 2")]
    [InlineData("happiness,AU06,false\n", "t.csv: no enabled rule")]
    public void InvalidRowsNameFileAndLine(string rows, string expected)
    {
        var error = Assert.Throws<AuPrototypeTableException>(() => AuPrototypeTable.Parse("t.csv", Header + rows));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingHeaderOrFileIsAnError()
    {
        Assert.StartsWith("t.csv:1: expected the header", Assert.Throws<AuPrototypeTableException>(() =>
            AuPrototypeTable.Parse("t.csv", "happiness,AU06,true\n")).Message, StringComparison.Ordinal);
        Assert.EndsWith("nope.csv: emotion-prototype table not found", Assert.Throws<AuPrototypeTableException>(() =>
            AuPrototypeTable.Load(Path.Combine(Path.GetTempPath(), "nope.csv"))).Message, StringComparison.Ordinal);
    }
}
