using System.IO.Compression;

namespace SerNotebooks.Data.CremaD;

/// <summary>
/// Opens a CREMA-D metadata file as text, plain or gzip-compressed. The repository ships
/// <c>tabulatedVotes.csv</c> compressed (4 MB raw) while a user's CREMA-D checkout has it plain, so a reader
/// asked for <c>x.csv</c> also accepts <c>x.csv.gz</c> beside it, and the other way round.
/// </summary>
public static class CremaDMetadataFile
{
    public const string GzipExtension = ".gz";

    /// <summary>The path that exists: <paramref name="path"/> itself, or its compressed/uncompressed twin.</summary>
    /// <exception cref="FileNotFoundException">Neither form exists; the message names both.</exception>
    public static string Resolve(string path)
    {
        if (File.Exists(path))
        {
            return path;
        }
        var twin = path.EndsWith(GzipExtension, StringComparison.OrdinalIgnoreCase)
            ? path[..^GzipExtension.Length]
            : path + GzipExtension;
        return File.Exists(twin)
            ? twin
            : throw new FileNotFoundException($"CREMA-D metadata file not found: {path} (nor {Path.GetFileName(twin)} beside it)", path);
    }

    /// <summary>Opens the file (see <see cref="Resolve"/>) as UTF-8 text, decompressing a <c>.gz</c> file on the fly.</summary>
    public static TextReader OpenText(string path)
    {
        var resolved = Resolve(path);
        Stream stream = File.OpenRead(resolved);
        if (resolved.EndsWith(GzipExtension, StringComparison.OrdinalIgnoreCase))
        {
            stream = new GZipStream(stream, CompressionMode.Decompress);
        }
        return new StreamReader(stream);
    }
}
