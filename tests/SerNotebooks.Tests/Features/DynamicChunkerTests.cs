using SerNotebooks.Features;

namespace SerNotebooks.Tests.Features;

public class DynamicChunkerTests
{
    private static readonly ChunkingConfig Default = new();

    [Theory]
    [InlineData(350, 25)]
    [InlineData(1100, 100)]
    [InlineData(1000, 90)]
    [InlineData(109, 0)]
    [InlineData(110, 1)]
    public void StepIsFloorOfSpareFramesOverChunkGaps(int frames, int step)
    {
        var plan = DynamicChunker.Plan(frames, Default, 0.01);
        Assert.Equal(step, plan.Step);
        Assert.Equal(11, plan.ChunkCount);
        for (var k = 0; k < 11; k++)
        {
            Assert.Equal(k * step, plan.Chunks[k].StartFrame);
            Assert.Equal(100, plan.Chunks[k].ValidFrames);
            Assert.Equal(k * step * 0.01, plan.Chunks[k].StartSeconds, 1e-12);
            Assert.Equal((k * step + 100) * 0.01, plan.Chunks[k].EndSeconds, 1e-12);
        }
        Assert.True(plan.Chunks[^1].StartFrame + 100 <= frames);
        Assert.False(plan.IsPadded);
    }

    [Fact]
    public void UtteranceOfExactlyOneChunkGivesIdenticalChunks()
    {
        var plan = DynamicChunker.Plan(100, Default, 0.01);
        Assert.Equal(0, plan.Step);
        Assert.All(plan.Chunks, c => Assert.Equal(0, c.StartFrame));
        Assert.False(plan.IsPadded);
    }

    [Fact]
    public void SingleChunkStartsAtTheFirstFrame()
    {
        var plan = DynamicChunker.Plan(500, Default with { ChunkCount = 1 }, 0.01);
        var chunk = Assert.Single(plan.Chunks);
        Assert.Equal(0, chunk.StartFrame);
        Assert.Equal(0, plan.Step);
    }

    [Fact]
    public void ShortUtteranceIsRepeatPaddedAndMarked()
    {
        var features = Ramp(frames: 40, bands: 3);
        var plan = DynamicChunker.Plan(40, Default, 0.01);
        Assert.True(plan.IsPadded);
        var chunks = DynamicChunker.Extract(features, plan, silenceValue: -23f);
        Assert.Equal(11 * 100 * 3, chunks.Data.Length);
        for (var k = 0; k < 11; k++)
        {
            var chunk = chunks.Chunk(k);
            for (var j = 0; j < 100; j++)
            {
                Assert.Equal(features[j % 40, 2], chunk[j * 3 + 2]);
                Assert.Equal(j < 40, chunks.OriginalFrames[k * 100 + j]);
            }
            Assert.Equal(0.4, plan.Chunks[k].EndSeconds, 1e-12);
        }
    }

    [Fact]
    public void ShortUtteranceCanBeSilencePadded()
    {
        var features = Ramp(frames: 40, bands: 2);
        var plan = DynamicChunker.Plan(40, Default with { Padding = ChunkPadding.Silence }, 0.01);
        var chunks = DynamicChunker.Extract(features, plan, silenceValue: -23f);
        var first = chunks.Chunk(0);
        Assert.Equal(features[39, 1], first[39 * 2 + 1]);
        Assert.Equal(-23f, first[40 * 2]);
        Assert.Equal(-23f, first[99 * 2 + 1]);
        Assert.Equal(-1, plan.SourceFrame(0, 40));
    }

    [Fact]
    public void ChunkDataAreTheFramesTheyClaim()
    {
        var features = Ramp(frames: 350, bands: 4);
        var plan = DynamicChunker.Plan(350, Default, 0.01);
        var chunks = DynamicChunker.Extract(features, plan, 0f);
        Assert.Equal(features[250 + 99, 3], chunks.Chunk(10)[99 * 4 + 3]);
        Assert.Equal(features[25, 0], chunks.Chunk(1)[0]);
        Assert.All(chunks.OriginalFrames, Assert.True);
        var energies = DynamicChunker.ExtractSeries<float>(Enumerable.Range(0, 350).Select(i => (float)i).ToArray(), plan, float.NaN);
        Assert.Equal(275f, energies[10][25]);
    }

    [Theory]
    [InlineData(0, 11)]
    [InlineData(100, 0)]
    public void RejectsEmptyChunksOrNoChunks(int chunkFrames, int chunkCount)
    {
        Assert.Throws<ArgumentException>(() => DynamicChunker.Plan(300, new ChunkingConfig { ChunkFrames = chunkFrames, ChunkCount = chunkCount }, 0.01));
    }

    private static FeatureMatrix Ramp(int frames, int bands)
    {
        var matrix = new FeatureMatrix(frames, bands);
        for (var t = 0; t < frames; t++)
        {
            for (var b = 0; b < bands; b++)
            {
                matrix[t, b] = t * 10 + b;
            }
        }
        return matrix;
    }
}
