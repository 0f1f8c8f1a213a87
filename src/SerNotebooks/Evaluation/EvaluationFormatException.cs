namespace SerNotebooks.Evaluation;

/// <summary>An evaluation file (predictions, per-epoch metrics, results table) that cannot be used; names the
/// file, the line when known, and the problem.</summary>
public sealed class EvaluationFormatException(string path, int? line, string reason)
    : Exception(line is null ? $"{path}: {reason}" : $"{path}:{line}: {reason}")
{
    public string FilePath { get; } = path;
    public int? Line { get; } = line;
    public string Reason { get; } = reason;
}
