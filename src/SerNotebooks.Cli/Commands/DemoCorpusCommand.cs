using System.CommandLine;
using System.Diagnostics;
using SerNotebooks.Demo;
using Spectre.Console;

namespace SerNotebooks.Cli.Commands;

/// <summary><c>sernb demo-corpus --out &lt;dir&gt; --size tiny|demo|large [--seed 1234]</c></summary>
internal static class DemoCorpusCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out")
        {
            Description = "Folder to generate the corpus in (created; re-running over a finished corpus does nothing)",
            Required = true,
        };
        var size = new Option<string>("--size")
        {
            Description = "tiny (tests, seconds), demo (about 1 h unlabelled + 14 min labelled) or large (about 6 h + 1.7 h)",
            DefaultValueFactory = _ => "demo",
        };
        size.AcceptOnlyFromAmong("tiny", "demo", "large");
        var seed = new Option<long>("--seed")
        {
            Description = "Random seed; the same seed gives byte-identical files",
            DefaultValueFactory = _ => DemoCorpusGenerator.DefaultSeed,
        };
        var command = new Command("demo-corpus",
            "Generate the synthetic demo corpus: unlabelled audiovisual pre-training clips (WAV, OpenFace CSV, some videos) and a labelled CREMA-D-layout set");
        command.Options.Add(output);
        command.Options.Add(size);
        command.Options.Add(seed);
        command.SetAction(parseResult =>
        {
            var folder = parseResult.GetValue(output)!;
            var sizeValue = Enum.Parse<DemoCorpusSize>(parseResult.GetValue(size)!, ignoreCase: true);
            var seedValue = parseResult.GetValue(seed);
            var stopwatch = Stopwatch.StartNew();
            DemoCorpusInfo? info = null;
            try
            {
                AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        var task = context.AddTask($"demo corpus ({sizeValue.ToString().ToLowerInvariant()}, seed {seedValue})");
                        info = DemoCorpusGenerator.Generate(folder, sizeValue, seedValue, p =>
                        {
                            task.MaxValue = p.Total;
                            task.Value = p.Completed;
                        });
                        task.Value = task.MaxValue;
                    });
            }
            catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return 1;
            }
            var table = new Table().AddColumns("part", "clips", "speakers", "videos", "hours");
            foreach (var (name, part) in new[] { ("unlabelled", info!.Unlabelled), ("labelled (CREMA-D layout)", info.Labelled) })
            {
                if (part is not null)
                {
                    table.AddRow(name, part.Clips.ToString(), part.Speakers.ToString(), part.Videos.ToString(), part.Hours.ToString("F2"));
                }
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"Done in {stopwatch.Elapsed.TotalSeconds:F1} s: {Path.GetFullPath(folder)}");
            AnsiConsole.MarkupLineInterpolated($"Manifests: {Path.Combine(Path.GetFullPath(folder), "manifests")}");
            return 0;
        });
        return command;
    }
}
