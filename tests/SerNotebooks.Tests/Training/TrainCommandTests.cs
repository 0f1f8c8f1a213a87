using System.CommandLine;
using SerNotebooks.Cli.Commands;
using SerNotebooks.Data;
using SerNotebooks.Features;
using SerNotebooks.Pretext;
using SerNotebooks.Training;
using Spectre.Console;

namespace SerNotebooks.Tests.Training;

[Collection(TrainingCorpusCollection.Name)]
public class TrainCommandTests(TrainingCorpusFixture corpus)
{
    [Fact]
    public void PretrainFromLabelFilesThenFinetuneFromThatRunThroughTheCli()
    {
        var work = corpus.NewRunDirectory("cli");
        Directory.CreateDirectory(work);
        // Label files as the labelling pipeline saves them, computed from the features by fixed rules.
        var labelsDir = Path.Combine(work, "labels");
        var chunking = TrainingCorpusFixture.SmallChunking;
        var manifest = Manifest.Load(corpus.PretrainingManifest);
        var sets = new RuleLabelSource().GetLabelSets(new PretextLabelRequest([manifest], ["energy-std", "loudness"],
            manifest.Entries.Select(e => e.Id).ToHashSet(), chunking, new FeatureExtractor(cache: new FeatureCache(corpus.FeatureCache))));
        foreach (var set in sets)
        {
            PretextLabelSetFile.Write(set, labelsDir);
        }
        var model = """{ "encoder": "conv", "convChannels": 16, "attentionHidden": 8, "dropout": 0.1 }""";
        var common = $$"""
            "model": {{model}}, "chunking": {"chunkFrames": 40, "chunkCount": 4}, "batchSize": 8, "seed": 3,
            "featureCache": "{{corpus.FeatureCache}}"
            """;
        File.WriteAllText(Path.Combine(work, "pretrain.json"), $$"""
            { "kind": "pretrain", "manifests": ["{{corpus.PretrainingManifest}}"], "labelsDirectory": "labels",
              "tasks": [ { "name": "energy-std", "weight": 1.0 }, { "name": "loudness", "weight": 0.5 } ],
              "epochs": 2, {{common}} }
            """);
        File.WriteAllText(Path.Combine(work, "finetune.json"), $$"""
            { "kind": "finetune", "manifests": ["{{corpus.CremaManifest}}"], "pretrainedRun": "runs/pretrain",
              "speakerSplits": { "1001": "train", "1002": "train", "1003": "dev", "1004": "test" },
              "epochs": 2, "patience": 1, {{common}} }
            """);

        var (pretrainExit, pretrainOutput) = Train(Path.Combine(work, "pretrain.json"), Path.Combine(work, "runs", "pretrain"));
        Assert.True(pretrainExit == 0, pretrainOutput);
        Assert.Contains("epoch 2: train_loss", pretrainOutput);
        Assert.True(File.Exists(Path.Combine(work, "runs", "pretrain", "encoder.model")));
        Assert.True(File.Exists(Path.Combine(work, "runs", "pretrain", "labels", "loudness.state.json")));

        var (finetuneExit, finetuneOutput) = Train(Path.Combine(work, "finetune.json"), Path.Combine(work, "runs", "finetune"));
        Assert.True(finetuneExit == 0, finetuneOutput);
        Assert.Contains("test_macro_f1", finetuneOutput);
        Assert.True(File.Exists(Path.Combine(work, "runs", "finetune", "predictions.csv")));

        var (againExit, againOutput) = Train(Path.Combine(work, "finetune.json"), Path.Combine(work, "runs", "finetune"));
        Assert.Equal(0, againExit);
        Assert.Contains("already finished", againOutput);
    }

    [Fact]
    public void AConfigWithAnUnknownFieldIsRejectedNamingTheFile()
    {
        var work = corpus.NewRunDirectory("cli-bad");
        Directory.CreateDirectory(work);
        var path = Path.Combine(work, "bad.json");
        File.WriteAllText(path, """{ "kind": "finetune", "manifests": ["m"], "learningRate": 0.1 }""");

        var (exit, output) = Train(path, Path.Combine(work, "run"));

        Assert.Equal(1, exit);
        Assert.Contains(path, output.Replace("\n", string.Empty));
        Assert.Contains("learningRate", output);
        Assert.False(Directory.Exists(Path.Combine(work, "run")));
    }

    private static (int ExitCode, string Output) Train(string config, string output) =>
        CliHarness.Run(TrainCommand.Create, ["train", "--config", config, "--out", output]);
}
