using System.CommandLine;
using SerNotebooks.Cli.Commands;

// Each subcommand lives in its own file under Commands/ and is registered here with one line.
var root = new RootCommand("sernb: self-supervised speech emotion recognition with audiovisual pretext tasks");
foreach (var command in CommandRegistry.All())
{
    root.Subcommands.Add(command);
}
return await root.Parse(args).InvokeAsync();
