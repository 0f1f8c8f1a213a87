namespace SerNotebooks.Audio;

/// <summary>An audio file that cannot be used, with the file and the reason.</summary>
public sealed class AudioFormatException(string path, string reason)
    : Exception($"{path}: {reason}")
{
    public string FilePath { get; } = path;
    public string Reason { get; } = reason;
}
