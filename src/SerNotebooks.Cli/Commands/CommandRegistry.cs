using System.CommandLine;

namespace SerNotebooks.Cli.Commands;

/// <summary>The one place where subcommands are registered.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All()
    {
        yield return DemoCorpusCommand.Create();
        yield return DoctorCommand.Create();
        yield return EvaluateCommand.Create();
        yield return FeaturesCommand.Create();
        yield return LabelsCommand.Create();
        yield return NotebooksCommand.Create();
        yield return PrepareCommand.Create();
        yield return ReproduceCommand.Create();
        yield return TrainCommand.Create();
        yield return WorkerLoop.Create();
    }
}
