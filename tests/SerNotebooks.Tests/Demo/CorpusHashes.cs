using System.Security.Cryptography;

namespace SerNotebooks.Tests.Demo;

internal static class CorpusHashes
{
    /// <summary>SHA-256 of every file under a folder, keyed by its relative path with forward slashes.</summary>
    public static SortedDictionary<string, string> Of(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            using var stream = File.OpenRead(file);
            result[Path.GetRelativePath(root, file).Replace('\\', '/')] = Convert.ToHexString(SHA256.HashData(stream));
        }
        return result;
    }
}
