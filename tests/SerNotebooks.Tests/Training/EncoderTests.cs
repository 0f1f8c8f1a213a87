using SerNotebooks.Models;
using SerNotebooks.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Tests.Training;

public class EncoderTests
{
    public EncoderTests() => TorchRuntime.EnsureLoadable();

    [Theory]
    [InlineData(ChunkEncoderKind.Conv, 2 * 12)]
    [InlineData(ChunkEncoderKind.Lstm, 10)]
    public void EncodesEveryChunkAndPoolsThemIntoOneUtteranceEmbedding(ChunkEncoderKind kind, int embedding)
    {
        torch.manual_seed(1);
        using var encoder = new SpeechEncoder(new ModelConfig { Encoder = kind, ConvChannels = 12, LstmHidden = 10, AttentionHidden = 4 });
        using var scope = torch.NewDisposeScope();
        encoder.eval();
        var chunks = torch.randn(2, 3, 20, 64);
        var mask = torch.tensor(new[] { true, true, true, true, false, false }, [2, 3]);

        var output = encoder.forward(chunks, mask);

        Assert.Equal(new long[] { 2, 3, embedding }, output.Chunks.shape);
        Assert.Equal(new long[] { 2, embedding }, output.Utterance.shape);
        // The second utterance has one valid chunk: attention over one chunk returns that chunk.
        Assert.True(output.Utterance[1].allclose(output.Chunks[1, 0], rtol: 1e-5, atol: 1e-6));
        Assert.True(torch.isfinite(output.Utterance).all().item<bool>());
    }

    [Fact]
    public void AMaskedChunkDoesNotInfluenceTheUtteranceEmbedding()
    {
        torch.manual_seed(2);
        using var encoder = new SpeechEncoder(new ModelConfig { ConvChannels = 8, AttentionHidden = 4 });
        using var scope = torch.NewDisposeScope();
        encoder.eval();
        var chunks = torch.randn(1, 4, 16, 64);
        var mask = torch.tensor(new[] { true, true, false, true }, [1, 4]);
        var changed = chunks.clone();
        changed[0, 2] = torch.randn(16, 64) * 10;

        var before = encoder.forward(chunks, mask).Utterance;
        var after = encoder.forward(changed, mask).Utterance;
        var unmasked = encoder.forward(changed, torch.ones(1, 4, dtype: ScalarType.Bool)).Utterance;

        Assert.True(before.allclose(after, rtol: 1e-5, atol: 1e-6));
        Assert.False(before.allclose(unmasked, rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void ASavedEncoderLoadsAloneAndARefusedShapeNamesTheFile()
    {
        using var dir = new SerNotebooks.Tests.Native.TempDirectory();
        var path = dir.File("encoder.model");
        var config = new ModelConfig { ConvChannels = 8, AttentionHidden = 4 };
        torch.manual_seed(3);
        using var original = new SpeechEncoder(config);
        original.Save(path);
        torch.manual_seed(4);
        using var copy = new SpeechEncoder(config);
        copy.Load(path);

        using var scope = torch.NewDisposeScope();
        original.eval();
        copy.eval();
        var chunks = torch.randn(2, 2, 10, 64);
        var mask = torch.ones(2, 2, dtype: ScalarType.Bool);
        Assert.True(original.forward(chunks, mask).Utterance.equal(copy.forward(chunks, mask).Utterance).all().item<bool>());

        using var wider = new SpeechEncoder(config with { ConvChannels = 16 });
        var error = Assert.Throws<InvalidDataException>(() => wider.Load(path));
        Assert.Contains(path, error.Message);
    }
}
