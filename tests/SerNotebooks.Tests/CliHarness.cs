using System.CommandLine;
using SerNotebooks.Cli.Commands;
using Spectre.Console;

namespace SerNotebooks.Tests;

/// <summary>Runs a <c>sernb</c> subcommand in-process, capturing what the user would see on a plain console.</summary>
internal static class CliHarness
{
    public static (int ExitCode, string Output) Run(Func<IAnsiConsole, Command> create, params string[] args)
    {
        var text = new StringWriter();
        // Spectre's progress display refreshes from its own thread while the command writes lines: a bare
        // StringWriter is not thread-safe and can lose or interleave what the user would see.
        var writer = TextWriter.Synchronized(text);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 400;
        var root = new RootCommand("test");
        root.Subcommands.Add(create(console));
        var exit = root.Parse(args).Invoke();
        return (exit, text.ToString());
    }

    public static (int ExitCode, string Output) Prepare(params string[] args) =>
        Run(PrepareCommand.Create, ["prepare", .. args]);
}
