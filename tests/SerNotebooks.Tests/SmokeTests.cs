namespace SerNotebooks.Tests;

public class SmokeTests
{
    [Fact]
    public void LibraryHasVersion() => Assert.NotEqual("unknown", SerNotebooksAssembly.Version);
}
