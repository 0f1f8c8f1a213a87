using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace SerNotebooks.Notebooks;

/// <summary>
/// The one call a notebook's setup cell makes after referencing the library: registers the display
/// formatters the project's notebooks rely on (charts render as interactive Plotly charts, both in VS Code
/// Polyglot Notebooks and in the headless runner).
/// </summary>
public static class NotebookSetup
{
    private static readonly object Gate = new();
    private static ITypeFormatter? chartFormatter;

    /// <summary>
    /// Registers the formatters. Safe to call any number of times: it only registers again when the current
    /// formatter for charts is no longer ours (for example after <see cref="Formatter.ResetToDefault"/>).
    /// </summary>
    public static void Initialize()
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
