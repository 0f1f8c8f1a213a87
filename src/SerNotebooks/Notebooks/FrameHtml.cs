using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Deedle;

namespace SerNotebooks.Notebooks;

/// <summary>
/// Deedle frames as HTML tables for notebook output. Deedle's own text rendering is meant for a fixed-width
/// console and wraps wide tables; a table keeps the ablation results readable in a rendered report.
/// </summary>
public static class FrameHtml
{
    /// <summary>Rows beyond this many are elided (head and tail kept), as Deedle's console rendering does.</summary>
    public const int MaxRows = 40;

    private static readonly MethodInfo RenderTyped = typeof(FrameHtml).GetMethod(nameof(Render), 1 + 1, [typeof(Frame<,>).MakeGenericType(Type.MakeGenericMethodParameter(0), Type.MakeGenericMethodParameter(1))])!;

    /// <summary>Whether <paramref name="type"/> is a Deedle <c>Frame&lt;TRowKey, TColumnKey&gt;</c>.</summary>
    public static bool IsFrame(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Frame<,>);

    /// <summary>Renders any <c>Frame&lt;,&gt;</c> given as object.</summary>
    public static string RenderObject(object frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var type = frame.GetType();
        if (!IsFrame(type))
        {
            throw new ArgumentException($"{type} is not a Deedle frame", nameof(frame));
        }
        return (string)RenderTyped.MakeGenericMethod(type.GetGenericArguments()).Invoke(null, [frame])!;
    }

    /// <summary>An HTML table: the row key as the first column, then one column per frame column; numbers in invariant culture.</summary>
    public static string Render<TRowKey, TColumnKey>(Frame<TRowKey, TColumnKey> frame)
        where TRowKey : notnull
        where TColumnKey : notnull
    {
        ArgumentNullException.ThrowIfNull(frame);
        var rows = frame.RowKeys.ToList();
        var columns = frame.ColumnKeys.ToList();
        var shown = rows.Count <= MaxRows
            ? rows.Select(r => (Key: r, Elided: false)).ToList()
            : rows.Take(MaxRows / 2).Select(r => (Key: r, Elided: false))
                .Append((Key: rows[0], Elided: true))
                .Concat(rows.Skip(rows.Count - MaxRows / 2).Select(r => (Key: r, Elided: false))).ToList();
        var html = new StringBuilder("<table class=\"sernb-frame\"><thead><tr><th></th>");
        foreach (var column in columns)
        {
            html.Append("<th>").Append(Encode(column)).Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var (key, elided) in shown)
        {
            if (elided)
            {
                html.Append("<tr><td>…</td>").Append(string.Concat(Enumerable.Repeat("<td>…</td>", columns.Count))).Append("</tr>");
                continue;
            }
            html.Append("<tr><th>").Append(Encode(key)).Append("</th>");
            foreach (var column in columns)
            {
                var value = frame.Columns[column].TryGet(key);
                html.Append("<td>").Append(value.HasValue ? Encode(value.Value) : "").Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        html.Append(CultureInfo.InvariantCulture, $"<p><small>{rows.Count} rows × {columns.Count} columns</small></p>");
        return html.ToString();
    }

    private static string Encode(object? value) => WebUtility.HtmlEncode(value switch
    {
        null => "",
        double d when double.IsNaN(d) => "",
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        float f => f.ToString("0.####", CultureInfo.InvariantCulture),
        // Deedle's CSV reader infers decimal for numeric columns (e.g. a results.csv read back): same rounding.
        decimal m => m.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    });
}
