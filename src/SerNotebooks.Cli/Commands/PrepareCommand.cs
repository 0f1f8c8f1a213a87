using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SerNotebooks.Data;
using SerNotebooks.Data.AvCorpus;
using SerNotebooks.Data.CremaD;
using SerNotebooks.Data.Splits;
using Spectre.Console;

namespace SerNotebooks.Cli.Commands;

/// <summary>
/// <c>sernb prepare crema-d | crema-d-splits | av-corpus</c>: corpus folders → manifests.
/// Exit codes: 0 when a manifest was written (even if some files were rejected), 1 when nothing was usable,
/// 2 when the input is missing or an option is invalid.
/// </summary>
public static class PrepareCommand
{
    public const int NothingUsable = 1;
    public const int BadInput = 2;

    public static Command Create() => Create(null);

    /// <summary>Builds the command writing to <paramref name="console"/> (tests capture output this way).</summary>
    public static Command Create(IAnsiConsole? console)
    {
        var command = new Command("prepare", "Build corpus manifests (data-manifests/SCHEMA.md) from corpus folders");
        command.Subcommands.Add(CremaD(console));
        command.Subcommands.Add(CremaDSplits(console));
        command.Subcommands.Add(AvCorpus(console));
        return command;
    }

    private static Option<double> MinDurationOption() => new("--min-duration")
    {
        Description = "Reject clips shorter than this many seconds (default: one 1 s analysis chunk)",
        DefaultValueFactory = _ => CremaDDefaults.MinimumSeconds,
    };

    private static Command CremaD(IAnsiConsole? console)
    {
        var root = new Option<string>("--root") { Description = "CREMA-D folder (holding AudioWAV/) or a folder of CREMA-D-named WAVs", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for manifest.csv, manifest.json, rejected.csv, actor-splits.csv", Required = true };
        var protocol = new Option<string>("--split-protocol")
        {
            Description = $"{string.Join(" | ", CremaDSplitProtocols.Known)} (or kfold-K); auto = committed 63/14/14 table when it covers the actors, else generated",
            DefaultValueFactory = _ => CremaDSplitProtocols.Auto,
        };
        var seed = new Option<int>("--seed") { Description = "Seed for generated splits", DefaultValueFactory = _ => CremaDCorpus.SplitSeed };
        var minDuration = MinDurationOption();
        var command = new Command("crema-d", "Manifest of a CREMA-D checkout: labels from file names, sex/age from VideoDemographics.csv, speaker-independent splits");
        command.Options.Add(root);
        command.Options.Add(output);
        command.Options.Add(protocol);
        command.Options.Add(seed);
        command.Options.Add(minDuration);
        command.SetAction(parse =>
        {
            var ui = console ?? AnsiConsole.Console;
            var options = new CremaDPrepareOptions
            {
                SplitProtocol = parse.GetValue(protocol)!,
                Seed = parse.GetValue(seed),
                MinimumDuration = TimeSpan.FromSeconds(parse.GetValue(minDuration)),
            };
            CremaDPreparation result;
            var clock = Stopwatch.StartNew();
            try
            {
                result = CremaDPreparer.PrepareAndSave(parse.GetValue(root)!, parse.GetValue(output)!, options);
            }
            catch (Exception e) when (e is DirectoryNotFoundException or ArgumentException or ManifestFormatException)
            {
                ui.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return BadInput;
            }
            clock.Stop();
            var table = new Table().Title("CREMA-D").AddColumns("", "count");
            table.AddRow("files scanned", Count(result.FilesScanned));
            table.AddRow("[green]accepted[/]", Count(result.Manifest.Entries.Count));
            table.AddRow("[yellow]rejected[/]", Count(result.Rejected.Count));
            table.AddRow("actors", Count(result.Splits.Count));
            foreach (var (split, clips) in result.ClipsPerSplit)
            {
                var actors = result.Splits.Count(s => s.Split == split);
                table.AddRow(split.Length == 0 ? "[yellow]no split[/]" : $"split [blue]{Markup.Escape(split)}[/]",
                    split.Length == 0 ? $"{clips} clips, {result.Manifest.Entries.Where(e => string.IsNullOrEmpty(e.Split)).Select(e => e.Speaker).Distinct().Count()} actors" : $"{clips} clips, {actors} actors");
            }
            foreach (var (emotion, clips) in result.ClipsPerEmotion)
            {
                table.AddRow($"emotion {Markup.Escape(emotion)}", Count(clips));
            }
            ui.Write(table);
            if (result.Splits.Count == 0 && result.Manifest.Entries.Count > 0)
            {
                ui.MarkupLine($"[yellow]warning:[/] {Markup.Escape(result.SplitDescription)}");
            }
            else
            {
                ui.MarkupLine($"splits: {Markup.Escape(result.SplitDescription)}");
            }
            WriteRejected(ui, result.Rejected, "Rejected");
            foreach (var note in result.Notes)
            {
                ui.MarkupLine($"[grey]note:[/] {Markup.Escape(note)}");
            }
            WriteVotes(ui, result);
            ui.MarkupLine($"validated {result.FilesScanned} files in {clock.Elapsed.TotalSeconds:0.00} s");
            if (result.Manifest.Entries.Count == 0)
            {
                ui.MarkupLine("[red]error:[/] no usable clip; no manifest written (see rejected.csv)");
                return NothingUsable;
            }
            ui.MarkupLine($"manifest written to [blue]{Markup.Escape(Path.GetFullPath(parse.GetValue(output)!))}[/]");
            return 0;
        });
        return command;
    }

    /// <summary>Where the rater votes came from and every vote problem (file:line, clip, reason).</summary>
    private static void WriteVotes(IAnsiConsole ui, CremaDPreparation result)
    {
        if (result.VoteSource is null)
        {
            ui.MarkupLine("[grey]rater votes:[/] none (no processedResults/tabulatedVotes.csv); no votes_*/perceived_* columns");
            return;
        }
        var withVotes = result.Manifest.Entries.Count(e => e.Extras.Keys.Any(k => k.StartsWith(CremaDPerception.VotesColumnPrefix, StringComparison.Ordinal)));
        ui.MarkupLine($"rater votes: {Markup.Escape(result.VoteSource)} ({withVotes} of {result.Manifest.Entries.Count} clips); {result.VoteProblems.Count} problems (vote-problems.csv)");
        foreach (var problem in result.VoteProblems)
        {
            var where = problem.Line is { } line ? $"{problem.File}:{line}" : problem.File;
            ui.MarkupLine($"[yellow]votes:[/] {Markup.Escape(where)}: {Markup.Escape(problem.Reason)}");
        }
    }

    private static Command CremaDSplits(IAnsiConsole? console)
    {
        var demographics = new Option<string>("--demographics") { Description = "CREMA-D's VideoDemographics.csv", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to write actors-train-dev-test.csv and actors-5-sessions.csv", Required = true };
        var seed = new Option<int>("--seed") { Description = "Shuffle seed (the committed table uses the default)", DefaultValueFactory = _ => CremaDCorpus.SplitSeed };
        var command = new Command("crema-d-splits", "Regenerate the committed CREMA-D actor split tables (data-manifests/crema-d/splits/)");
        command.Options.Add(demographics);
        command.Options.Add(output);
        command.Options.Add(seed);
        command.SetAction(parse =>
        {
            var ui = console ?? AnsiConsole.Console;
            var path = parse.GetValue(demographics)!;
            if (!File.Exists(path))
            {
                ui.MarkupLine($"[red]error:[/] {Markup.Escape(path)}: file does not exist");
                return BadInput;
            }
            IReadOnlyList<CremaDActor> actors;
            try
            {
                actors = CremaDCorpus.ReadDemographics(path);
            }
            catch (ManifestFormatException e)
            {
                ui.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return BadInput;
            }
            var outDir = parse.GetValue(output)!;
            var trainDevTest = CremaDCorpus.GenerateTrainDevTest(actors, parse.GetValue(seed));
            ActorSplitTable.Write(Path.Combine(outDir, CremaDCorpus.TrainDevTestTableName), trainDevTest);
            ActorSplitTable.Write(Path.Combine(outDir, CremaDCorpus.FiveSessionsTableName), CremaDCorpus.GenerateFiveSessions(actors));
            var table = new Table().AddColumns("split", "female", "male", "unknown", "total");
            foreach (var group in trainDevTest.GroupBy(a => a.Split).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                table.AddRow(group.Key, Count(group.Count(a => a.Sex == "female")), Count(group.Count(a => a.Sex == "male")),
                    Count(group.Count(a => a.Sex == "unknown")), Count(group.Count()));
            }
            ui.Write(table);
            ui.MarkupLine($"wrote {CremaDCorpus.TrainDevTestTableName} and {CremaDCorpus.FiveSessionsTableName} to [blue]{Markup.Escape(Path.GetFullPath(outDir))}[/]");
            return 0;
        });
        return command;
    }

    private static Command AvCorpus(IAnsiConsole? console)
    {
        var root = new Option<string>("--root") { Description = "Folder searched recursively for *.wav, OpenFace *.csv and *.avi/*.mp4/*.flv", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for manifest.csv, manifest.json, rejected.csv, unpaired.csv", Required = true };
        var speaker = new Option<string>("--speaker")
        {
            Description = "stem-prefix (stem before the first '_', else the parent folder) | folder (parent folder) | pattern (--speaker-pattern)",
            DefaultValueFactory = _ => "stem-prefix",
        };
        var pattern = new Option<string?>("--speaker-pattern") { Description = "Regex with a (?<speaker>...) group, matched against the audio path relative to --root" };
        var keepAudioOnly = new Option<bool>("--keep-audio-only") { Description = "Keep audio that has no OpenFace CSV or video" };
        var minDuration = MinDurationOption();
        var command = new Command("av-corpus", "Unlabelled pre-training manifest: audio paired with OpenFace CSVs and/or videos by file name");
        command.Options.Add(root);
        command.Options.Add(output);
        command.Options.Add(speaker);
        command.Options.Add(pattern);
        command.Options.Add(keepAudioOnly);
        command.Options.Add(minDuration);
        command.SetAction(parse =>
        {
            var ui = console ?? AnsiConsole.Console;
            SpeakerRule rule;
            switch (parse.GetValue(speaker))
            {
                case "stem-prefix": rule = SpeakerRule.StemPrefix; break;
                case "folder": rule = SpeakerRule.ParentFolder; break;
                case "pattern": rule = SpeakerRule.Pattern; break;
                default:
                    ui.MarkupLine($"[red]error:[/] --speaker must be stem-prefix, folder or pattern, not '{Markup.Escape(parse.GetValue(speaker) ?? "")}'");
                    return BadInput;
            }
            AvCorpusPreparation result;
            try
            {
                result = AvCorpusPreparer.PrepareAndSave(parse.GetValue(root)!, parse.GetValue(output)!, new AvCorpusOptions
                {
                    SpeakerRule = rule,
                    SpeakerPattern = parse.GetValue(pattern),
                    KeepAudioOnly = parse.GetValue(keepAudioOnly),
                    MinimumDuration = TimeSpan.FromSeconds(parse.GetValue(minDuration)),
                });
            }
            catch (Exception e) when (e is DirectoryNotFoundException or ArgumentException)
            {
                ui.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return BadInput;
            }
            var entries = result.Manifest.Entries;
            var table = new Table().Title("audiovisual corpus").AddColumns("", "count");
            table.AddRow("audio files", Count(result.AudioFiles));
            table.AddRow("OpenFace CSVs", Count(result.OpenFaceFiles));
            table.AddRow("videos", Count(result.VideoFiles));
            table.AddRow("[green]clips in manifest[/]", Count(entries.Count));
            table.AddRow("  with OpenFace CSV", Count(entries.Count(e => e.OpenFacePath is not null)));
            table.AddRow("  with video", Count(entries.Count(e => e.VideoPath is not null)));
            table.AddRow("speakers", Count(entries.Select(e => e.Speaker).Distinct().Count()));
            table.AddRow("[yellow]unpaired[/]", Count(result.Unpaired.Count));
            table.AddRow("[yellow]rejected[/]", Count(result.Rejected.Count));
            ui.Write(table);
            WriteRejected(ui, result.Unpaired, "Unpaired");
            WriteRejected(ui, result.Rejected, "Rejected");
            if (entries.Count == 0)
            {
                ui.MarkupLine("[red]error:[/] no usable clip; no manifest written (see rejected.csv and unpaired.csv)");
                return NothingUsable;
            }
            ui.MarkupLine($"manifest written to [blue]{Markup.Escape(Path.GetFullPath(parse.GetValue(output)!))}[/]");
            return 0;
        });
        return command;
    }

    private static void WriteRejected(IAnsiConsole ui, IReadOnlyList<RejectedFile> files, string title)
    {
        if (files.Count == 0)
        {
            return;
        }
        var table = new Table().Title(title).AddColumns("file", "reason");
        foreach (var file in files)
        {
            table.AddRow(Markup.Escape(file.File), Markup.Escape(file.Reason));
        }
        ui.Write(table);
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static class CremaDDefaults
    {
        public static readonly double MinimumSeconds = SerNotebooks.Audio.WavAudioLoader.DefaultMinimumDuration.TotalSeconds;
    }
}
