using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using SerNotebooks.Notebooks;

namespace SerNotebooks.Cli.Notebooks;

/// <summary>
/// Runs Polyglot (.NET Interactive) notebooks in this process, one cell at a time, each notebook in a fresh
/// C# kernel, and writes the executed notebook (outputs inside) to an output folder.
/// </summary>
/// <remarks>
/// The current directory, console redirection and formatter registrations are process-wide, so notebooks
/// run strictly one at a time (a process-wide lock enforces it).
/// </remarks>
public sealed class NotebookRunner
{
    private static readonly SemaphoreSlim OneNotebookAtATime = new(1, 1);

    private readonly IReadOnlyDictionary<string, string> parameters;

    public NotebookRunner(IReadOnlyDictionary<string, string>? parameters = null)
    {
        this.parameters = parameters ?? new Dictionary<string, string>();
    }

    /// <summary>Raised when a notebook has --param values but no cell tagged <c>parameters</c>.</summary>
    public event Action<string>? Warning;

    /// <summary>Runs one notebook and writes it, executed, to <paramref name="outputDirectory"/> under its own file name.</summary>
    public async Task<NotebookRunResult> RunAsync(
        string notebookPath,
        string outputDirectory,
        IProgress<CellProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var notebook = Path.GetFullPath(notebookPath);
        var outputPath = Path.Combine(Path.GetFullPath(outputDirectory), Path.GetFileName(notebook));
        if (string.Equals(outputPath, notebook, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The output folder must differ from the folder of {notebook}: the source notebook would be overwritten.");
        }

        var kernelInfos = NotebookKernelFactory.KernelInfos();
        var document = await LoadAsync(notebook, kernelInfos);
        var plan = Plan(notebook, document);

        await OneNotebookAtATime.WaitAsync(cancellationToken);
        var previousDirectory = Environment.CurrentDirectory;
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var cells = new List<CellRunResult>();
        NotebookFailure? failure = null;
        try
        {
            // A relative #r "path.dll" resolves against the process's current directory; notebooks are
            // written relative to their own folder (as VS Code runs them).
            Environment.CurrentDirectory = Path.GetDirectoryName(notebook)!;
            NotebookSetup.Initialize();
            using var kernel = NotebookKernelFactory.Create();
            var executionCount = 0;
            foreach (var step in plan)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new CellProgress(notebook, step.CellNumber, plan.Count, step.IsInjected, null));
                var cellClock = Stopwatch.StartNew();
                var error = await ExecuteAsync(kernel, step.Element, ++executionCount, cancellationToken);
                var completed = new CellRunResult(step.CellNumber, step.IsInjected, error is null, cellClock.Elapsed);
                cells.Add(completed);
                progress?.Report(new CellProgress(notebook, step.CellNumber, plan.Count, step.IsInjected, completed));
                if (error is not null)
                {
                    failure = new NotebookFailure(step.CellNumber, error, step.IsInjected);
                    break;
                }
            }
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            OneNotebookAtATime.Release();
        }

        var elapsed = clock.Elapsed;
        document.Metadata[NotebookRunRecord.MetadataKey] = new NotebookRunRecord(
            started, elapsed, failure, plan.Any(step => step.IsInjected) ? parameters : new Dictionary<string, string>()).ToMetadata();
        // Written on failure too: the executed cells and the error output are what a user debugs with.
        AtomicFile.Write(outputPath, stream => Notebook.Write(document, stream, kernelInfos));
        return new NotebookRunResult(notebook, outputPath, cells, failure, elapsed);
    }

    private static async Task<InteractiveDocument> LoadAsync(string notebook, KernelInfoCollection kernelInfos)
    {
        try
        {
            return await InteractiveDocument.LoadAsync(new FileInfo(notebook), kernelInfos);
        }
        catch (Exception exception) when (exception is not FileNotFoundException and not OperationCanceledException)
        {
            throw new InvalidDataException($"Notebook {notebook} could not be read: {exception.Message}", exception);
        }
    }

    private sealed record Step(InteractiveDocumentElement Element, int CellNumber, bool IsInjected);

    /// <summary>
    /// Decides which cells run, numbers them as the user sees them, inserts the parameters cell, and clears
    /// stale outputs so the written notebook shows only this run's results.
    /// </summary>
    private List<Step> Plan(string notebook, InteractiveDocument document)
    {
        var parametersIndex = parameters.Count > 0 ? NotebookParameters.FindParametersCell(document) : -1;
        if (parameters.Count > 0 && parametersIndex < 0)
        {
            Warning?.Invoke($"{notebook} has no cell tagged '{NotebookParameters.ParametersTag}'; --param values are not applied to it.");
        }

        var steps = new List<Step>();
        var elements = document.Elements;
        InteractiveDocumentElement? injected = null;
        for (var i = 0; i < elements.Count; i++)
        {
            var element = elements[i];
            var cellNumber = i + 1;
            if (IsMarkdown(element))
            {
                continue;
            }
            element.Outputs.Clear();
            element.ExecutionOrder = 0;
            var kernelName = element.KernelName ?? NotebookKernelFactory.CSharpKernelName;
            if (!IsCSharp(kernelName))
            {
                throw new NotSupportedException(
                    $"notebook {notebook}, cell {cellNumber}: kernel '{kernelName}' is not supported by the headless runner (C# only).");
            }
            steps.Add(new Step(element, cellNumber, IsInjected: false));
            if (i == parametersIndex)
            {
                injected = NotebookParameters.CreateInjectedCell(parameters, NotebookKernelFactory.CSharpKernelName);
                steps.Add(new Step(injected, cellNumber, IsInjected: true));
            }
        }

        if (injected is not null)
        {
            // Kept in the written notebook, as papermill does, so a reader sees which values were used.
            elements.Insert(parametersIndex + 1, injected);
        }
        return steps;
    }

    private static bool IsMarkdown(InteractiveDocumentElement element) =>
        string.Equals(element.KernelName, "markdown", StringComparison.OrdinalIgnoreCase)
        || string.Equals(element.KernelName, "md", StringComparison.OrdinalIgnoreCase);

    private static bool IsCSharp(string kernelName) =>
        kernelName is NotebookKernelFactory.CSharpKernelName or "C#" or "c#" or "cs";

    /// <summary>Runs one cell, turning the kernel's events into the cell's outputs; returns the error, if any.</summary>
    private static async Task<string?> ExecuteAsync(
        CompositeKernel kernel, InteractiveDocumentElement element, int executionCount, CancellationToken cancellationToken)
    {
        element.ExecutionOrder = executionCount;
        var outputs = new CellOutputCollector(element.Outputs, executionCount);
        // Events are recorded as they arrive so outputs produced before a hang or crash are not lost.
        using var subscription = kernel.KernelEvents.Subscribe(new EventObserver(outputs));
        var result = await kernel.SendAsync(new SubmitCode(element.Contents, NotebookKernelFactory.CSharpKernelName), cancellationToken);
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        return failed is null ? null : outputs.ErrorMessage ?? failed.Message;
    }

    private sealed class EventObserver(CellOutputCollector outputs) : IObserver<KernelEvent>
    {
        public void OnNext(KernelEvent value) => outputs.Add(value);

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}
