using SerNotebooks.Ablation;
using SerNotebooks.Demo;

namespace SerNotebooks.Tests.Ablation;

/// <summary>The tiny demo corpus generated under a test's folder, as an ablation reads it (features cached beside it).</summary>
internal static class TinyAblationCorpus
{
    public static AblationCorpus Create(string root)
    {
        DemoCorpusGenerator.Generate(Path.Combine(root, "corpus"), DemoCorpusSize.Tiny);
        return AblationCorpus.FromManifests(
            Path.Combine(root, "corpus", DemoCorpusGenerator.PretrainingManifestFolder),
            Path.Combine(root, "corpus", DemoCorpusGenerator.CremaManifestFolder),
            Path.Combine(root, "features"));
    }
}
