using System.CommandLine;
using SerNotebooks.Diagnostics;
using Spectre.Console;

namespace SerNotebooks.Cli.Commands;

/// <summary><c>sernb doctor</c>: checks the toolchain, native libraries and folders; exit 1 when something required is broken.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor",
            "Check .NET, TorchSharp/libtorch (and its compatibility fix), OpenCV, NAudio, Plotly.NET, Deedle and the data folders");
        command.SetAction(_ =>
        {
            var report = Doctor.Run();
            Render(report);
            return report.IsHealthy ? 0 : 1;
        });
        return command;
    }

    private static void Render(DoctorReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn("Check");
        table.AddColumn("Status");
        table.AddColumn(new TableColumn("Detail"));
        foreach (var check in report.Checks)
        {
            var color = check.Status switch
            {
                DoctorStatus.Ok => "green",
                DoctorStatus.Warning => "yellow",
                _ => check.Required ? "red" : "yellow",
            };
            var status = $"[{color}]{check.Status.ToString().ToUpperInvariant()}[/]" + (check.Required ? "" : " [grey](optional)[/]");
            table.AddRow(Markup.Escape(check.Name), status, Markup.Escape(check.Detail));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(report.IsHealthy
            ? "[green]Healthy:[/] everything required works."
            : "[red]Unhealthy:[/] a required check failed (see above).");
    }
}
