using SerNotebooks.Cli.Notebooks;

namespace SerNotebooks.Tests.Notebooks;

public sealed class NotebookParametersTests
{
    [Theory]
    [InlineData("true", "true")]
    [InlineData("False", "false")]
    [InlineData("42", "42")]
    [InlineData("-7", "-7")]
    [InlineData("12345678901", "12345678901L")]
    [InlineData("0.25", "0.25")]
    [InlineData("1e3", "1000.0")]
    [InlineData("tiny", "\"tiny\"")]
    [InlineData("say \"hi\"\\now", "\"say \\\"hi\\\"\\\\now\"")]
    [InlineData("1.2.3", "\"1.2.3\"")]
    public void ValuesBecomeTypedCSharpLiterals(string value, string literal) =>
        Assert.Equal(literal, NotebookParameters.ToLiteral(value));

    [Fact]
    public void ParseSplitsAtTheFirstEqualsSign()
    {
        var parameters = NotebookParameters.Parse(["corpus=path/with=sign", "seeds=3"]);
        Assert.Equal("path/with=sign", parameters["corpus"]);
        Assert.Equal("3", parameters["seeds"]);
    }

    [Theory]
    [InlineData("noequals")]
    [InlineData("=value")]
    [InlineData("2fast=1")]
    [InlineData("class=1")]
    public void ParseRejectsWhatCannotBeAVariable(string pair)
    {
        var error = Assert.Throws<ArgumentException>(() => NotebookParameters.Parse([pair]));
        Assert.Contains(pair, error.Message);
    }
}
