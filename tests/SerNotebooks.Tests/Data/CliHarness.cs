using System.CommandLine;
using SerNotebooks.Cli.Commands;
using Spectre.Console;

namespace SerNotebooks.Tests.Data;

/// <summary>Runs <c>sernb prepare ...</c> in-process, capturing what the user would see.</summary>
internal static class CliHarness
{
    public static (int ExitCode, string Output) Prepare(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 400;
        var root = new RootCommand("test");
        root.Subcommands.Add(PrepareCommand.Create(console));
        var exit = root.Parse(["prepare", .. args]).Invoke();
        return (exit, writer.ToString());
    }
}
