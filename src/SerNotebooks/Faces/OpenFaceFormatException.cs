namespace SerNotebooks.Faces;

/// <summary>An OpenFace CSV cannot be used at all (missing, empty, lacking needed columns); the message names the file.</summary>
public sealed class OpenFaceFormatException(string path, string message, Exception? inner = null)
    : Exception($"{path}: {message}", inner)
{
    public string Path { get; } = path;
}
