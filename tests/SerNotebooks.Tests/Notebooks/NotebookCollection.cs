namespace SerNotebooks.Tests.Notebooks;

/// <summary>
/// Notebook runs change the process's current directory, console and formatter registrations, so every test
/// that runs a kernel belongs to this collection, which never runs in parallel with anything else.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection
{
    public const string Name = "Notebook runs";
}
