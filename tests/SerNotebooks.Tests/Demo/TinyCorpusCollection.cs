namespace SerNotebooks.Tests.Demo;

/// <summary>Test classes that read the same tiny corpus, generated once.</summary>
[CollectionDefinition(Name)]
public sealed class TinyCorpusCollection : ICollectionFixture<TinyCorpusFixture>
{
    public const string Name = "tiny demo corpus";
}
