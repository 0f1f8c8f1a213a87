using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SerNotebooks.Features;

/// <summary>
/// Remembers the SHA-256 of audio files by (full path, size, last-write time in UTC ticks), so a run does not hash
/// every unchanged file again (a 60 h corpus is ~7 GB of WAV). Persisted as <see cref="FileName"/> in the feature
/// cache folder:
/// <code>
/// # sernb content-hashes v1
/// size \t lastWriteUtcTicks \t sha256 \t full path      (one line per file)
/// # end COUNT SHA256-of-every-byte-before-this-line
/// </code>
/// The file is replaced atomically (<see cref="AtomicFile"/>), and <see cref="Save"/> first merges what other
/// processes saved since (several training processes may share one cache; for one path the last writer wins).
/// A file whose trailer is missing or does not match (torn, truncated, edited) is ignored as a whole: every hash is
/// then recomputed, never trusted.
/// <para>
/// Racy-clean rule (as git's index): a file modified less than <see cref="RacyWindow"/> before it was hashed is not
/// remembered, because file-system timestamps are coarse (a jiffy on Linux): a second same-size write within that
/// tick would keep the old stamp and the stale hash would be trusted.
/// </para>
/// </summary>
public sealed class ContentHashCache
{
    public const string FileName = "content-hashes.tsv";
    private const string Header = "# sernb content-hashes v1";
    private const string TrailerPrefix = "# end ";

    /// <summary>How long after its last write a file must be before its hash is remembered.</summary>
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> added = new(StringComparer.Ordinal);
    private int hits;
    private int misses;

    private readonly record struct Entry(long Size, long Ticks, string Hash);

    /// <param name="path">The persistent file; read now when it exists and is intact.</param>
    /// <param name="reportProblem">Told when the file exists but is not trusted.</param>
    public ContentHashCache(string path, Action<string>? reportProblem = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        ReportProblem = reportProblem;
        foreach (var (key, entry) in Read(Path, reportProblem))
        {
            entries[key] = entry;
        }
    }

    public string Path { get; }

    private Action<string>? ReportProblem { get; }

    /// <summary>Lookups answered from the cache / hashed since this object was created.</summary>
    public (int Hits, int Misses) Statistics => (Volatile.Read(ref hits), Volatile.Read(ref misses));

    /// <summary>Lower-case hex SHA-256 of the file's bytes; from the cache when path, size and write time match.</summary>
    public string HashOf(string file)
    {
        var info = new FileInfo(file);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{file}: file does not exist", file);
        }
        var key = info.FullName;
        var (size, ticks) = (info.Length, info.LastWriteTimeUtc.Ticks);
        lock (gate)
        {
            if (entries.TryGetValue(key, out var known) && known.Size == size && known.Ticks == ticks)
            {
                hits++;
                return known.Hash;
            }
        }
        var hash = FeatureCache.HashFile(file);
        Interlocked.Increment(ref misses);
        // Stamped again after hashing: a write during hashing changes the stamp, and then nothing is remembered.
        info.Refresh();
        if (info.Length == size && info.LastWriteTimeUtc.Ticks == ticks && DateTime.UtcNow - info.LastWriteTimeUtc >= RacyWindow
            && !key.Contains('\n') && !key.Contains('\r'))
        {
            lock (gate)
            {
                entries[key] = added[key] = new Entry(size, ticks, hash);
            }
        }
        return hash;
    }

    /// <summary>Writes the remembered hashes (merged with what the file holds now); no-op when nothing new was hashed.</summary>
    public void Save()
    {
        Dictionary<string, Entry> mine;
        lock (gate)
        {
            if (added.Count == 0)
            {
                return;
            }
            mine = new Dictionary<string, Entry>(added, StringComparer.Ordinal);
            added.Clear();
        }
        var merged = Read(Path, reportProblem: null).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        foreach (var (key, entry) in mine)
        {
            merged[key] = entry;
        }
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        foreach (var (key, entry) in merged.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{entry.Size}\t{entry.Ticks}\t{entry.Hash}\t{key}\n");
        }
        var body = Encoding.UTF8.GetBytes(text.ToString());
        var trailer = Encoding.UTF8.GetBytes($"{TrailerPrefix}{merged.Count} {Convert.ToHexStringLower(SHA256.HashData(body))}\n");
        AtomicFile.Write(Path, stream =>
        {
            stream.Write(body);
            stream.Write(trailer);
        });
    }

    /// <summary>The entries of an intact file; nothing (and a report) for a missing trailer, a bad checksum or a bad line.</summary>
    private static IEnumerable<KeyValuePair<string, Entry>> Read(string path, Action<string>? reportProblem)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        var problem = TryParse(bytes, out var parsed);
        if (problem is not null)
        {
            reportProblem?.Invoke($"{path}: {problem}; ignoring it (every audio file is hashed again).");
            return [];
        }
        return parsed;
    }

    private static string? TryParse(byte[] bytes, out List<KeyValuePair<string, Entry>> parsed)
    {
        parsed = [];
        if (bytes.Length == 0 || bytes[^1] != (byte)'\n')
        {
            return "torn file (no final newline)";
        }
        var trailerStart = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;
        var trailer = Encoding.UTF8.GetString(bytes, trailerStart, bytes.Length - trailerStart - 1);
        if (!trailer.StartsWith(TrailerPrefix, StringComparison.Ordinal))
        {
            return "torn file (no end line)";
        }
        var fields = trailer[TrailerPrefix.Length..].Split(' ');
        var body = bytes.AsSpan(0, trailerStart);
        if (fields.Length != 2 || !string.Equals(fields[1], Convert.ToHexStringLower(SHA256.HashData(body)), StringComparison.Ordinal))
        {
            return "checksum mismatch";
        }
        var lines = Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != Header)
        {
            return "unknown header";
        }
        foreach (var line in lines.Skip(1))
        {
            var parts = line.Split('\t', 4);
            if (parts.Length != 4 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || parts[2].Length != 64)
            {
                return $"bad line '{line}'";
            }
            parsed.Add(new(parts[3], new Entry(size, ticks, parts[2])));
        }
        return parsed.Count.ToString(CultureInfo.InvariantCulture) == fields[0] ? null : "entry count mismatch";
    }
}
