using System.CommandLine;

namespace SerNotebooks.Cli.Commands;

/// <summary>The one place where subcommands are registered.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All()
    {
        yield return DoctorCommand.Create();
        yield return FeaturesCommand.Create();
        yield return PrepareCommand.Create();
        yield return DemoCorpusCommand.Create();
        yield return TrainCommand.Create();
    }
}
