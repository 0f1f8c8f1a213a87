using SerNotebooks.Demo;

namespace SerNotebooks.Tests.Demo;

/// <summary>One tiny demo corpus (seed 1234) shared by the tests of a class; deleted afterwards.</summary>
public sealed class TinyCorpusFixture : IDisposable
{
    public const long Seed = 1234;

    public TinyCorpusFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"sernb-demo-{Guid.NewGuid():N}");
        Info = DemoCorpusGenerator.Generate(Root, DemoCorpusSize.Tiny, Seed);
    }

    public string Root { get; }

    public DemoCorpusInfo Info { get; }

    public static string NewTemporaryFolder() => Path.Combine(Path.GetTempPath(), $"sernb-demo-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
