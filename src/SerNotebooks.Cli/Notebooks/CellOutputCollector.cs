using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Formatting;

namespace SerNotebooks.Cli.Notebooks;

/// <summary>Maps kernel events of one cell onto that cell's notebook outputs.</summary>
public sealed class CellOutputCollector
{
    private readonly List<InteractiveDocumentOutputElement> outputs;
    private readonly int executionCount;
    private readonly Dictionary<string, int> displayIndexByValueId = new(StringComparer.Ordinal);
    private readonly object gate = new();

    public CellOutputCollector(List<InteractiveDocumentOutputElement> outputs, int executionCount)
    {
        this.outputs = outputs;
        this.executionCount = executionCount;
    }

    /// <summary>The error text of the cell's failure, once one has arrived.</summary>
    public string? ErrorMessage { get; private set; }

    public void Add(KernelEvent kernelEvent)
    {
        lock (gate)
        {
            switch (kernelEvent)
            {
                case DisplayedValueUpdated updated:
                    // Updates (e.g. package-install progress) replace the display they refer to.
                    if (updated.ValueId is { } updatedId && displayIndexByValueId.TryGetValue(updatedId, out var index))
                    {
                        outputs[index] = new DisplayElement(ToData(updated.FormattedValues, updated.Value));
                    }
                    else
                    {
                        AddDisplay(updated.ValueId, ToData(updated.FormattedValues, updated.Value));
                    }
                    break;
                case DisplayedValueProduced displayed:
                    AddDisplay(displayed.ValueId, ToData(displayed.FormattedValues, displayed.Value));
                    break;
                case ReturnValueProduced returned:
                    var returnValue = new ReturnValueElement { ExecutionOrder = executionCount };
                    foreach (var (mimeType, value) in ToData(returned.FormattedValues, returned.Value))
                    {
                        returnValue.Data[mimeType] = value;
                    }
                    outputs.Add(returnValue);
                    break;
                case StandardOutputValueProduced stdout:
                    AddText(PlainText(stdout.FormattedValues), "stdout");
                    break;
                case StandardErrorValueProduced stderr:
                    AddText(PlainText(stderr.FormattedValues), "stderr");
                    break;
                case CommandFailed failed:
                    var exception = failed.Exception;
                    ErrorMessage ??= Summarize(failed);
                    // Jupyter's shape: the message as the value, the stack as the traceback.
                    outputs.Add(new ErrorElement(
                        exception is null or CodeSubmissionCompilationErrorException ? failed.Message : exception.Message,
                        exception?.GetType().Name ?? "Error",
                        exception?.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? []));
                    break;
            }
        }
    }

    /// <summary>Compiler diagnostics as they are; a runtime exception as "Type: message", without the stack.</summary>
    private static string Summarize(CommandFailed failed) => failed.Exception switch
    {
        null or CodeSubmissionCompilationErrorException => failed.Message,
        var exception => $"{exception.GetType().FullName}: {exception.Message}",
    };

    private void AddDisplay(string? valueId, Dictionary<string, object> data)
    {
        outputs.Add(new DisplayElement(data));
        if (valueId is not null)
        {
            displayIndexByValueId[valueId] = outputs.Count - 1;
        }
    }

    // Consecutive writes to one stream form one output, as Jupyter shows them.
    private void AddText(string text, string stream)
    {
        if (outputs.Count > 0 && outputs[^1] is TextElement last && last.Name == stream)
        {
            outputs[^1] = new TextElement(last.Text + text, stream);
        }
        else
        {
            outputs.Add(new TextElement(text, stream));
        }
    }

    private static Dictionary<string, object> ToData(IEnumerable<FormattedValue> values, object? value)
    {
        var data = values.GroupBy(v => v.MimeType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (object)g.First().Value, StringComparer.Ordinal);
        // Simple values (numbers, strings, dates) get a text/plain rendering too, as Jupyter kernels give
        // them: tools that read notebooks (diffs, nbconvert, tests) look there first.
        if (value is IConvertible && !data.ContainsKey(PlainTextFormatter.MimeType))
        {
            data[PlainTextFormatter.MimeType] = value.ToDisplayString(PlainTextFormatter.MimeType);
        }
        return data;
    }

    private static string PlainText(IEnumerable<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value
        ?? values.FirstOrDefault()?.Value
        ?? "";
}
