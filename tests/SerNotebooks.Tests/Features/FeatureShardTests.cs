using System.Security.Cryptography;
using SerNotebooks.Features;
using SerNotebooks.Features.Shards;

namespace SerNotebooks.Tests.Features;

public class FeatureShardTests
{
    private static readonly ChunkingConfig Chunking = new() { ChunkFrames = 5, ChunkCount = 3 };
    private static readonly LogMelConfig Framing = new() { NMels = 4 };

    /// <summary>Clip i has 3 + 4·i frames of values that are not round numbers in float16.</summary>
    private static FeatureMatrix Clip(int i)
    {
        var frames = 3 + 4 * i;
        var values = new float[frames * Framing.NMels];
        var random = new Random(100 + i);
        for (var v = 0; v < values.Length; v++)
        {
            values[v] = (float)(random.NextDouble() * 40 - 20);
        }
        return new FeatureMatrix(frames, Framing.NMels, values);
    }

    private static ShardSetManifest WriteSet(string directory, ShardPrecision precision, ShardWindowing windowing, int clips = 7, int clipsPerShard = 3) =>
        ShardSetWriter.Write(directory, SHA256.HashData([1, 2, 3]), new ShardGeometry(Chunking.ChunkCount, Chunking.ChunkFrames, Framing.NMels, precision),
            windowing, Enumerable.Range(0, clips).Select(i => $"clip{i}").ToArray(),
            i => ShardSetBuilder.RowsOf(Clip(i), i, Chunking, windowing, Framing), clipsPerShard);

    [Fact]
    public void Float32RowsRoundTripBitForBitWithTheChunkerAndTheStatistics()
    {
        using var folder = new TemporaryDirectory();
        var manifest = WriteSet(folder.Path, ShardPrecision.Float32, ShardWindowing.ChunkPlan);
        Assert.Equal(3, manifest.Shards.Count);
        using var set = FeatureShardSet.Open(folder.Path, verifyData: true);
        Assert.Equal(7, set.RowCount);
        var row = new float[set.Geometry.ValuesPerRow];
        for (var i = 0; i < 7; i++)
        {
            var clip = Clip(i);
            var plan = DynamicChunker.Plan(clip.Frames, Chunking, Framing);
            var expected = DynamicChunker.Extract(clip, plan, Framing.SilenceValue).Data;
            var (first, count) = set.RowsOf(set.OrdinalOf($"clip{i}"));
            Assert.Equal(1, count);
            set.ReadRow(first, row);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), row.Select(BitConverter.SingleToInt32Bits));
            var stats = set.ReadStatistics(first);
            var reference = ClipFrameStatistics.Of(clip);
            Assert.Equal(reference.Sums, stats.Sums);
            Assert.Equal(reference.Squares, stats.Squares);
            Assert.Equal(clip.Frames, stats.Frames);
            // A clip shorter than one chunk has one real chunk; its padding copies are masked.
            Assert.Equal(Enumerable.Range(0, 3).Select(k => k == 0 || plan.Chunks[k].StartFrame != plan.Chunks[k - 1].StartFrame),
                set.RowInfo(first).ChunkMask);
        }
    }

    [Fact]
    public void Float16RowsAreWithinHalfPrecisionAndHalfTheSize()
    {
        using var f32 = new TemporaryDirectory();
        using var f16 = new TemporaryDirectory();
        WriteSet(f32.Path, ShardPrecision.Float32, ShardWindowing.ChunkPlan);
        WriteSet(f16.Path, ShardPrecision.Float16, ShardWindowing.ChunkPlan);
        using var exact = FeatureShardSet.Open(f32.Path);
        using var half = FeatureShardSet.Open(f16.Path, verifyData: true);
        var a = new float[exact.Geometry.ValuesPerRow];
        var b = new float[half.Geometry.ValuesPerRow];
        for (var r = 0; r < exact.RowCount; r++)
        {
            exact.ReadRow(r, a);
            half.ReadRow(r, b);
            for (var v = 0; v < a.Length; v++)
            {
                // float16 keeps 11 significant bits: relative error ≤ 2^-11.
                Assert.True(Math.Abs(a[v] - b[v]) <= Math.Abs(a[v]) * Math.Pow(2, -11) + 1e-7, $"row {r} value {v}: {a[v]} vs {b[v]}");
            }
            Assert.Equal(exact.ReadStatistics(r).Sums, half.ReadStatistics(r).Sums); // statistics stay exact
        }
        Assert.Equal(exact.Geometry.RowBytes / 2, half.Geometry.RowBytes);
    }

    [Fact]
    public void ATruncatedShardIsAClearErrorNamingTheFile()
    {
        using var folder = new TemporaryDirectory();
        var manifest = WriteSet(folder.Path, ShardPrecision.Float32, ShardWindowing.ChunkPlan);
        var path = Path.Combine(folder.Path, manifest.Shards[1].File);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 10);
        }
        var error = Assert.Throws<InvalidDataException>(() => FeatureShardSet.Open(folder.Path));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void CorruptIndexOrDataIsAClearErrorNamingTheFile()
    {
        using var folder = new TemporaryDirectory();
        var manifest = WriteSet(folder.Path, ShardPrecision.Float32, ShardWindowing.ChunkPlan);
        var path = Path.Combine(folder.Path, manifest.Shards[0].File);
        var bytes = File.ReadAllBytes(path);
        var geometry = manifest.Geometry;

        bytes[geometry.IndexOffset(3) + 20] ^= 0xFF; // inside the index
        File.WriteAllBytes(path, bytes);
        var indexError = Assert.Throws<InvalidDataException>(() => FeatureShardSet.Open(folder.Path));
        Assert.Contains(path, indexError.Message);
        Assert.Contains("checksum", indexError.Message);

        bytes[geometry.IndexOffset(3) + 20] ^= 0xFF;
        bytes[geometry.RowOffset(1) + 7] ^= 0x01; // inside row 1's data
        File.WriteAllBytes(path, bytes);
        using (FeatureShardSet.Open(folder.Path))
        {
            // Opening checks length, header and index only; the data checksum costs a full read.
        }
        var dataError = Assert.Throws<InvalidDataException>(() => FeatureShardSet.Open(folder.Path, verifyData: true));
        Assert.Contains(path, dataError.Message);
        Assert.Contains("data checksum", dataError.Message);
    }

    [Fact]
    public void OffsetsPastTwoToThe31ElementsAreExact()
    {
        // The paper profile's corpus: 54,800 clips × 11 × 100 × 64 = 3.86e9 values, past int.MaxValue.
        var geometry = new ShardGeometry(11, 100, 64, ShardPrecision.Float32);
        Assert.Equal(70_400L, geometry.ValuesPerRow);
        Assert.Equal(54_799L * 70_400, geometry.ElementOffset(54_799));
        Assert.True(geometry.ElementOffset(54_799) > int.MaxValue);
        Assert.Equal(ShardFileHeader128 + 40_000L * 281_600, geometry.RowOffset(40_000));
        Assert.Equal(ShardFileHeader128 + 54_800L * 281_600 + 54_800L * geometry.IndexEntryBytes + 32, geometry.FileLength(54_800));
        var half = geometry with { Precision = ShardPrecision.Float16 };
        Assert.Equal(ShardFileHeader128 + 54_799L * 140_800, half.RowOffset(54_799));
        Assert.Throws<OverflowException>(() => geometry.RowOffset(long.MaxValue / 1000));
    }

    private const long ShardFileHeader128 = 128;

    [Fact]
    public void WindowsCoverALongClipCompletelyAndTheLastOneIsAlignedToTheEnd()
    {
        var chunking = new ChunkingConfig { ChunkFrames = 100, ChunkCount = 11 };
        Assert.Equal(new[] { 0 }, ClipWindows.Starts(50, chunking));
        Assert.Equal(new[] { 0 }, ClipWindows.Starts(1100, chunking));
        Assert.Equal(new[] { 0, 1 }, ClipWindows.Starts(1101, chunking));
        Assert.Equal(new[] { 0, 1100, 2300 - 1100 }, ClipWindows.Starts(2300, chunking));
        Assert.Equal(new[] { 0, 1100 }, ClipWindows.Starts(2200, chunking));
        foreach (var frames in new[] { 1, 99, 1100, 1101, 2999, 5000 })
        {
            var starts = ClipWindows.Starts(frames, chunking);
            Assert.Equal((frames + 1099) / 1100, starts.Length);
            var covered = new bool[frames];
            foreach (var start in starts)
            {
                for (var t = start; t < Math.Min(frames, start + 1100); t++)
                {
                    covered[t] = true;
                }
            }
            Assert.All(covered, Assert.True);
        }
    }

    [Fact]
    public void WindowedShardsHoldOneRowPerWindowWithConsecutiveChunks()
    {
        using var folder = new TemporaryDirectory();
        // Clip 6 has 27 frames: windows of 3 × 5 = 15 frames at 0 and 12.
        WriteSet(folder.Path, ShardPrecision.Float32, ShardWindowing.Windows);
        using var set = FeatureShardSet.Open(folder.Path, verifyData: true);
        var (first, count) = set.RowsOf(set.OrdinalOf("clip6"));
        Assert.Equal(2, count);
        Assert.Equal(new[] { 0, 12 }, new[] { set.RowInfo(first).WindowStart, set.RowInfo(first + 1).WindowStart });
        var clip = Clip(6);
        var row = new float[set.Geometry.ValuesPerRow];
        set.ReadRow(first + 1, row);
        for (var t = 0; t < 15; t++)
        {
            Assert.Equal(clip.Row(12 + t).ToArray(), row.AsSpan(t * 4, 4).ToArray());
        }
        Assert.All(set.RowInfo(first + 1).ChunkMask, Assert.True);
        // Short clips keep their chunk plan as their single window.
        Assert.Equal(1, set.RowsOf(set.OrdinalOf("clip0")).Count);
        Assert.Equal(7 + 3, set.RowCount); // clips 4, 5, 6 (19, 23, 27 frames) have 2 windows; clip 3 (15 frames) fits one
    }

    [Fact]
    public void AnInterruptedBuildKeepsItsCompleteShardsAndRewritesADamagedOne()
    {
        using var folder = new TemporaryDirectory();
        var manifest = WriteSet(folder.Path, ShardPrecision.Float32, ShardWindowing.ChunkPlan);
        File.Delete(Path.Combine(folder.Path, ShardSetManifest.FileName)); // as if killed before the commit point
        var kept = Path.Combine(folder.Path, manifest.Shards[0].File);
        var damaged = Path.Combine(folder.Path, manifest.Shards[2].File);
        var keptTime = File.GetLastWriteTimeUtc(kept);
        File.WriteAllBytes(damaged, [1, 2, 3]);
        var problems = new List<string>();
        var produced = new List<int>();
        ShardSetWriter.Write(folder.Path, SHA256.HashData([1, 2, 3]), manifest.Geometry, ShardWindowing.ChunkPlan,
            manifest.ClipIds, i =>
            {
                lock (produced)
                {
                    produced.Add(i);
                }
                return ShardSetBuilder.RowsOf(Clip(i), i, Chunking, ShardWindowing.ChunkPlan, Framing);
            }, clipsPerShard: 3, reportProblem: problems.Add);
        Assert.Equal(new[] { 6 }, produced.Order());
        Assert.Equal(keptTime, File.GetLastWriteTimeUtc(kept));
        Assert.Contains(problems, p => p.Contains(damaged));
        using var set = FeatureShardSet.Open(folder.Path, verifyData: true);
        Assert.Equal(7, set.RowCount);
    }
}
