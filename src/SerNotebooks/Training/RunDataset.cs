using SerNotebooks.Data;
using SerNotebooks.Features;
using SerNotebooks.Features.Shards;

namespace SerNotebooks.Training;

/// <summary>
/// The dataset of a run from its manifests: the clips' chunked features in a shard set (built once, then reused by
/// every run over the same clips and settings) and a shard-backed <see cref="ChunkedDataset"/> over it. With a feature
/// cache the set lives in <c>&lt;cache&gt;/shards/</c> and is keyed by the audio's content hashes (remembered in
/// <c>content-hashes.tsv</c>); without one it goes to a temporary folder that is deleted with the dataset.
/// </summary>
internal static class RunDataset
{
    public const string ShardFolder = "shards";

    public static ChunkedDataset Build(
        IReadOnlyList<(Manifest Manifest, ManifestEntry Entry, string Split)> clips, FeatureExtractor extractor, ChunkingConfig chunking,
        ShardPrecision precision, ShardWindowing windowing, int maxParallelism, IProgress<int>? progress)
    {
        var temporary = extractor.Cache is null ? new TemporaryFolder() : null;
        var root = temporary?.Path ?? Path.Combine(extractor.Cache!.Directory, ShardFolder);
        try
        {
            var shardClips = new ShardClip[clips.Count];
            Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxParallelism) }, i =>
            {
                var (manifest, entry, _) = clips[i];
                var path = manifest.Resolve(entry.AudioPath);
                shardClips[i] = new ShardClip(entry.Id, path, Identity(extractor.Cache, entry.Id, path));
            });
            extractor.Cache?.SaveContentHashes();
            var set = ShardSetBuilder.Ensure(shardClips, extractor, chunking, precision, windowing, root, maxParallelism, progress);
            try
            {
                return windowing == ShardWindowing.Windows
                    ? ChunkedDataset.FromShardRows(WindowRows(clips, set), set, new Owned(set, temporary))
                    : ChunkedDataset.FromShards(clips.Select(c => DatasetClip.FromManifest(c.Entry, c.Split)).ToArray(), set, new Owned(set, temporary));
            }
            catch
            {
                set.Dispose();
                throw;
            }
        }
        catch
        {
            temporary?.Dispose();
            throw;
        }
    }

    /// <summary>Every window of every clip, in the run's clip order, named as labels name them (<see cref="ClipWindows.RowId"/>).</summary>
    private static List<(DatasetClip Clip, long Row)> WindowRows(IReadOnlyList<(Manifest Manifest, ManifestEntry Entry, string Split)> clips, FeatureShardSet set)
    {
        var rows = new List<(DatasetClip, long)>(clips.Count);
        foreach (var (_, entry, split) in clips)
        {
            var (first, count) = set.RowsOf(set.OrdinalOf(entry.Id));
            for (var w = 0; w < count; w++)
            {
                rows.Add((new DatasetClip(ClipWindows.RowId(entry.Id, w, count), entry.Speaker, split, entry.Emotion), first + w));
            }
        }
        return rows;
    }

    /// <summary>The content hash (through the cache's remembered hashes); without a cache, where the file is and its stamp (no reuse is possible then anyway).</summary>
    private static string Identity(FeatureCache? cache, string id, string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new InvalidDataException($"clip '{id}' ({path}): file does not exist");
        }
        if (cache is null)
        {
            return $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
        }
        try
        {
            return cache.ContentHash(path);
        }
        catch (IOException e)
        {
            throw new InvalidDataException($"clip '{id}' ({path}): {e.Message}", e);
        }
    }

    private sealed class Owned(FeatureShardSet set, TemporaryFolder? temporary) : IDisposable
    {
        public void Dispose()
        {
            set.Dispose();
            temporary?.Dispose();
        }
    }

    /// <summary>A fresh folder under the system's temporary folder, deleted on dispose.</summary>
    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sernb-shards-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            try
            {
                if (Directory.Exists(Path))
                {
                    Directory.Delete(Path, recursive: true);
                }
            }
            catch (IOException)
            {
                // Best effort: a leftover temporary folder is harmless.
            }
        }
    }
}
