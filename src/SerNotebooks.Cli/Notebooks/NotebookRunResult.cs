namespace SerNotebooks.Cli.Notebooks;

/// <summary>Where a notebook run stopped and why.</summary>
/// <param name="CellNumber">1-based position of the failing cell among all cells of the notebook as the
/// user sees it (markdown cells count; an injected parameters cell does not).</param>
/// <param name="Message">The error as the kernel reported it (compiler diagnostics or exception message).</param>
/// <param name="IsInjectedParametersCell">True when the failing code was the cell injected for --param values.</param>
public sealed record NotebookFailure(int CellNumber, string Message, bool IsInjectedParametersCell = false)
{
    public string Describe(string notebookPath) =>
        IsInjectedParametersCell
            ? $"notebook {notebookPath}, parameters injected after cell {CellNumber}: {Message}"
            : $"notebook {notebookPath}, cell {CellNumber}: {Message}";
}

/// <summary>One executed code cell.</summary>
public sealed record CellRunResult(int CellNumber, bool IsInjectedParametersCell, bool Succeeded, TimeSpan Elapsed);

/// <summary>The outcome of running one notebook.</summary>
public sealed record NotebookRunResult(
    string NotebookPath,
    string OutputPath,
    IReadOnlyList<CellRunResult> Cells,
    NotebookFailure? Failure,
    TimeSpan Elapsed)
{
    public bool Succeeded => Failure is null;
}

/// <summary>Progress reported while a notebook runs.</summary>
public sealed record CellProgress(string NotebookPath, int CellNumber, int CellCount, bool IsInjectedParametersCell, CellRunResult? Completed);
