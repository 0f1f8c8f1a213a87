using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using SerNotebooks.Native;

namespace SerNotebooks.Notebooks;

/// <summary>
/// The one call a notebook's setup cell makes after referencing the library: makes the host ready
/// (<see cref="NotebookHostCompatibility"/>: VS Code's stock .NET Interactive host needs it) and registers the
/// display formatters the project's notebooks rely on (charts render as interactive Plotly charts, tables as
/// HTML, both in VS Code Polyglot Notebooks and in the headless runner).
/// </summary>
public static class NotebookSetup
{
    private static readonly object Gate = new();
    private static ITypeFormatter? chartFormatter;

    /// <summary>
    /// Installs the host fixes, then registers the formatters. Safe to call any number of times: it only
    /// registers again when the current formatter for charts is no longer ours (for example after
    /// <see cref="Formatter.ResetToDefault"/>).
    /// </summary>
    /// <remarks>
    /// This method must not mention a Plotly.NET or Deedle type: the JIT would load them (and with them a second
    /// FSharp.Core in the stock host) when it compiles this method, before the fix is installed.
    /// </remarks>
    public static void Initialize()
    {
        NotebookHostCompatibility.Install();
        RegisterFormatters();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterFormatters()
    {
        lock (Gate)
        {
            if (chartFormatter is not null && IsActive(chartFormatter))
            {
                return;
            }
            chartFormatter = new HtmlFormatter<GenericChart>((chart, context) =>
            {
                context.Writer.Write(PlotlyChartHtml.Render(chart));
                return true;
            });
            Formatter.Register(chartFormatter);
            Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), HtmlFormatter.MimeType);
            // Registered for the open generic type: every Frame<TRowKey, TColumnKey> a cell returns is a table.
            Formatter.Register(typeof(Deedle.Frame<,>), (frame, context) =>
            {
                context.Writer.Write(FrameHtml.RenderObject(frame));
                return true;
            }, HtmlFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(Deedle.Frame<,>), HtmlFormatter.MimeType);
        }
    }

    /// <summary>Whether <see cref="Initialize"/>'s chart formatter is the one a chart is displayed with.</summary>
    public static bool IsInitialized
    {
        get
        {
            lock (Gate)
            {
                return chartFormatter is not null && IsActive(chartFormatter);
            }
        }
    }

    private static bool IsActive(ITypeFormatter formatter) =>
        ReferenceEquals(Formatter.GetPreferredFormatterFor(typeof(GenericChart), HtmlFormatter.MimeType), formatter);
}
