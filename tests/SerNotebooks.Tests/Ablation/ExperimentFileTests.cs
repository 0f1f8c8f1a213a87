using SerNotebooks.Ablation;
using SerNotebooks.Demo;
using SerNotebooks.Tests.Data;

namespace SerNotebooks.Tests.Ablation;

/// <summary>Experiments are files: the built-in profiles are the checked-in experiments/*.json, and a copied, edited file is a new experiment.</summary>
public class ExperimentFileTests
{
    [Theory]
    [InlineData("tiny", DemoCorpusSize.Tiny)]
    [InlineData("demo", DemoCorpusSize.Demo)]
    [InlineData("paper", DemoCorpusSize.Large)]
    public void EachBuiltInProfileIsItsCheckedInExperimentFile(string name, DemoCorpusSize corpus)
    {
        var file = TestWav.RepositoryFile($"experiments/{name}.json");

        var loaded = AblationProfile.Load(file);

        Assert.Equal(AblationProfile.Named(name), loaded);
        Assert.Equal(name, loaded.Name);
        Assert.Equal(corpus, loaded.DemoCorpus);
        Assert.Equal(loaded, AblationProfile.Resolve(file));
        Assert.Equal(loaded, AblationProfile.Resolve(name));
        Assert.False(string.IsNullOrWhiteSpace(loaded.Description));
    }

    [Fact]
    public void TheDemoExperimentKeepsItsDocumentedNumbers()
    {
        var demo = AblationProfile.Demo;
        Assert.Equal((48, 16, 0.2), (demo.Model.ConvChannels, demo.Model.AttentionHidden, demo.Model.Dropout));
        Assert.Equal((50, 6), (demo.Chunking.ChunkFrames, demo.Chunking.ChunkCount));
        Assert.Equal((32, 30, 20, 6, 0.002, 1, 5), (demo.BatchSize, demo.PretrainEpochs, demo.FinetuneEpochs, demo.Patience, demo.LearningRate, demo.Threads, demo.Seeds));
        Assert.Equal((0.2, 4, 1.0, 2), (demo.PretextDevSpeakerShare, demo.PretrainPatience, demo.EncoderLearningRateScale, demo.EncoderWarmupEpochs));
        // The demo trains on each clip's chunk plan (its measured results); the paper profile pre-trains on windows.
        Assert.Null(demo.PretrainWindowing);
        Assert.Equal(SerNotebooks.Features.Shards.ShardWindowing.Windows, AblationProfile.Paper.PretrainWindowing);
        // README's main command trains notebook 07's study too (in the worker pool, before the notebooks).
        Assert.Equal(["intended", "soft-voice", "penalty"], demo.StudyTargets().Select(t => t.Name));
        Assert.Equal(TargetStudy.Best, demo.StudyCombinations());
        Assert.Null(AblationProfile.Tiny.Targets);
        // Fields a file leaves out take the model's defaults.
        Assert.Equal(new SerNotebooks.Models.ModelConfig(), AblationProfile.Paper.Model);
    }

    [Fact]
    public void ACopiedAndEditedFileIsANewExperimentThatRoundTrips()
    {
        using var folder = new TestWav.TempFolder();
        var path = Path.Combine(folder.Path, "wider.json");
        File.WriteAllText(path, File.ReadAllText(TestWav.RepositoryFile("experiments/tiny.json"))
            .Replace("\"name\": \"tiny\",", "", StringComparison.Ordinal)
            .Replace("\"convChannels\": 16", "\"convChannels\": 24", StringComparison.Ordinal));

        var wider = AblationProfile.Load(path);

        Assert.Equal("wider", wider.Name); // no name in the file: its file name
        Assert.Equal(24, wider.Model.ConvChannels);
        Assert.Equal(AblationProfile.Tiny with { Name = "wider", Model = AblationProfile.Tiny.Model with { ConvChannels = 24 } }, wider);
        var copy = Path.Combine(folder.Path, "copy.json");
        File.WriteAllText(copy, wider.ToJson());
        Assert.Equal(wider, AblationProfile.Load(copy));
    }

    [Fact]
    public void LabelsAndPenaltyFieldsReachEveryFineTuningConfigAndAreLeftOutAtTheirDefaults()
    {
        using var folder = new TestWav.TempFolder();
        var path = Path.Combine(folder.Path, "soft.json");
        File.WriteAllText(path, File.ReadAllText(TestWav.RepositoryFile("experiments/tiny.json"))
            .Replace("\"name\": \"tiny\",", "\"name\": \"soft\", \"labels\": \"soft-av\", \"penalty\": { \"alpha\": 0.3 },", StringComparison.Ordinal));

        var soft = AblationProfile.Load(path);
        var plan = AblationPlan.Create(seedCount: 1);
        var config = AblationRunner.FinetuningConfig(plan.Finetuning.First(), null, new AblationCorpus(["pre"], ["emo"], null, "test"), soft);

        Assert.Equal(SerNotebooks.Training.FinetuneLabels.SoftAv, config.Labels);
        Assert.Equal((0.3, 1.0), (config.Penalty!.Alpha, config.Penalty.Beta));
        Assert.Contains("\"labels\": \"soft-av\"", soft.ToJson());
        // The built-in experiments say nothing of either, so their experiment.json and run configs are as before.
        Assert.Equal(SerNotebooks.Training.FinetuneLabels.Intended, AblationProfile.Tiny.Labels);
        Assert.DoesNotContain("\"labels\"", AblationProfile.Tiny.ToJson());
        Assert.DoesNotContain("\"penalty\"", AblationProfile.Tiny.ToJson());
    }

    [Theory]
    [InlineData("\"labels\": \"intended\"", "\"labels\": \"perceived\"", "line")]
    [InlineData("\"labels\": \"intended\"", "\"penalty\": { \"alpha\": -1 }", "alpha and beta")]
    [InlineData("\"convChannels\": 16", "\"convChanels\": 16", "convChanels")]
    [InlineData("\"batchSize\": 8", "\"batchSize\": 0", "batchSize")]
    [InlineData("\"learningRate\": 0.003", "\"learningRate\": -1", "learningRate")]
    [InlineData("\"demoCorpus\": \"tiny\"", "\"demoCorpus\": \"huge\"", "line")]
    [InlineData("\"labels\": \"intended\"", "\"targets\": [\"intended\"]", "targets must name at least two different")]
    [InlineData("\"labels\": \"intended\"", "\"targets\": [\"intended\", \"perceived\"]", "fine-tuning target 'perceived'")]
    public void ABadFieldIsRefusedNamingTheFileAndTheField(string original, string broken, string expected)
    {
        using var folder = new TestWav.TempFolder();
        var path = Path.Combine(folder.Path, "broken.json");
        File.WriteAllText(path, File.ReadAllText(TestWav.RepositoryFile("experiments/tiny.json"))
            .Replace("\"name\": \"tiny\"", "\"name\": \"broken\", \"labels\": \"intended\"", StringComparison.Ordinal)
            .Replace(original, broken, StringComparison.Ordinal));

        var error = Assert.Throws<ArgumentException>(() => AblationProfile.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AnEditedCopyThatStillCallsItselfABuiltInIsRefused()
    {
        using var folder = new TestWav.TempFolder();
        var path = Path.Combine(folder.Path, "demo.json");
        File.WriteAllText(path, File.ReadAllText(TestWav.RepositoryFile("experiments/demo.json")).Replace("\"batchSize\": 32", "\"batchSize\": 16", StringComparison.Ordinal));

        var error = Assert.Throws<ArgumentException>(() => AblationProfile.Load(path));

        Assert.Contains("give it a name of its own", error.Message);
        Assert.Throws<ArgumentException>(() => AblationProfile.Resolve("no-such-profile"));
    }
}
