using System.CommandLine;
using System.Globalization;
using System.Text;
using Deedle;
using Plotly.NET;
using SerNotebooks.Charts;
using SerNotebooks.Data;
using SerNotebooks.Features;
using SerNotebooks.Notebooks;
using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.Controls;
using SerNotebooks.Pretext.Tasks.EnergyVariation;
using Spectre.Console;

namespace SerNotebooks.Cli.Commands;

/// <summary>
/// <c>sernb labels --manifest &lt;dir&gt; --out &lt;dir&gt; [--tasks a,b] [--task-assembly DLL]</c>: pretext labels of a corpus, the
/// fitted labeller states, the label report as CSV tables and its charts as self-contained HTML.
/// </summary>
internal static class LabelsCommand
{
    public static Command Create()
    {
        var manifest = new Option<DirectoryInfo[]>("--manifest", "-m")
        {
            Description = "Manifest folder (manifest.csv + manifest.json); repeat to label several corpora with shared thresholds",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder to write labels, labeller states, report tables and charts to", Required = true };
        var tasks = new Option<string?>("--tasks") { Description = "Comma-separated task names (default: every registered task)" };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "Feature cache folder (default: SERNB_CACHE or .cache/features in the repository)" };
        var perSpeaker = new Option<bool>("--per-speaker") { Description = "energy-variation: z-score chunk values per speaker before thresholding" };
        var minSpeech = new Option<int>("--min-speech-frames")
        {
            Description = "energy-variation: speech frames a chunk needs to be labelled",
            DefaultValueFactory = _ => new EnergyVariationOptions().MinSpeechFrames,
        };
        var taskAssemblies = new Option<string[]>("--task-assembly")
        {
            Description = "An assembly (.dll) with tasks of your own: its public IPretextTaskPlugin classes register them (src/SerNotebooks/Pretext/TASKS.md); repeat for several",
            Arity = ArgumentArity.OneOrMore,
        };
        var chartClip = new Option<string?>("--chart-clip") { Description = "Clip to draw the per-clip charts for (default: the first clip with energy labels)" };
        var command = new Command("labels",
            "Compute the pretext-task labels of a corpus (thresholds fitted on the training split) and write the label report");
        command.Options.Add(manifest);
        command.Options.Add(output);
        command.Options.Add(tasks);
        command.Options.Add(cache);
        command.Options.Add(perSpeaker);
        command.Options.Add(minSpeech);
        command.Options.Add(chartClip);
        command.Options.Add(taskAssemblies);
        command.SetAction(parseResult => Run(
            parseResult.GetValue(manifest)!,
            parseResult.GetValue(output)!,
            parseResult.GetValue(tasks),
            parseResult.GetValue(taskAssemblies) ?? [],
            parseResult.GetValue(cache),
            new EnergyVariationOptions { PerSpeakerNormalisation = parseResult.GetValue(perSpeaker), MinSpeechFrames = parseResult.GetValue(minSpeech) },
            parseResult.GetValue(chartClip)));
        return command;
    }

    private static int Run(DirectoryInfo[] manifestFolders, DirectoryInfo output, string? taskList, IReadOnlyList<string> taskAssemblies, DirectoryInfo? cacheFolder,
        EnergyVariationOptions energyOptions, string? chartClip)
    {
        List<Manifest> manifests;
        PretextTaskRegistry registry;
        IReadOnlyList<string> taskNames;
        try
        {
            energyOptions.Validate();
            manifests = manifestFolders.Select(folder => Manifest.Load(folder.FullName)).ToList();
            registry = RegistryWith(new EnergyVariationTask(energyOptions), taskAssemblies);
            taskNames = string.IsNullOrWhiteSpace(taskList)
                ? registry.PretextTasks.Select(t => t.Name).ToList()
                : taskList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var name in taskNames)
            {
                registry.Get(name);
            }
        }
        catch (Exception e) when (e is ManifestFormatException or KeyNotFoundException or ArgumentException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        var cacheDirectory = cacheFolder?.FullName ?? SerNotebooksPaths.Resolve().CacheDirectory;
        var cacheProblems = new List<string>();
        var extractor = new FeatureExtractor(new FeatureExtractorConfig(), new FeatureCache(cacheDirectory, problem =>
        {
            lock (cacheProblems)
            {
                cacheProblems.Add(problem);
            }
        }));
        var labelling = new PretextLabelling(registry, extractor);
        PretextLabellingResult result;
        try
        {
            result = null!;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var measure = context.AddTask($"measure {manifests.Sum(m => m.Entries.Count)} clips");
                    var label = context.AddTask($"fit + label {taskNames.Count} tasks");
                    result = labelling.Run(manifests, taskNames, progress: new SynchronousProgress(p =>
                    {
                        var bar = p.Stage == "measure" ? measure : label;
                        bar.MaxValue = Math.Max(1, p.Total);
                        bar.Value = p.Completed;
                    }));
                    measure.Value = measure.MaxValue;
                    label.Value = label.MaxValue;
                });
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        try
        {
            WriteOutputs(result, labelling, registry, output.FullName, chartClip);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] cannot write to {output.FullName}: {e.Message}");
            return 1;
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        PrintSummary(result, output.FullName, cacheProblems);
        return 0;
    }

    /// <summary>The registry of the library's and <paramref name="taskAssemblies"/>' tasks with the energy task replaced by one carrying the command-line options.</summary>
    private static PretextTaskRegistry RegistryWith(EnergyVariationTask energy, IReadOnlyList<string> taskAssemblies)
    {
        var registry = new PretextTaskRegistry();
        foreach (var task in PretextTaskRegistry.Create(taskAssemblies).All)
        {
            registry.Register(task.Name == energy.Name ? energy
                : task is ShuffledTask { Inner.Name: var inner } && inner == energy.Name ? new ShuffledTask(energy)
                : task);
        }
        return registry;
    }

    private static void WriteOutputs(PretextLabellingResult result, PretextLabelling labelling, PretextTaskRegistry registry, string folder, string? chartClip)
    {
        Directory.CreateDirectory(folder);
        foreach (var task in result.TaskNames)
        {
            // The training side reads <task>.labels.csv/.json (PretextLabelSetFile); the long table is for people.
            PretextLabelSetFile.Write(result.LabelSets[task], folder);
            SaveCsv(LabelReport.Labels(result, task), Path.Combine(folder, $"{task}.chunks.csv"));
            AtomicFile.WriteAllText(Path.Combine(folder, $"{task}.labeller.json"), result.LabelSets[task].LabellerStateJson + "\n");
        }
        SaveCsv(LabelReport.Distribution(result), Path.Combine(folder, "distribution.csv"));
        SaveCsv(LabelReport.Coverage(result), Path.Combine(folder, "coverage.csv"));
        SaveCsv(LabelReport.SkippedClips(result), Path.Combine(folder, "skipped.csv"));
        SaveCsv(LabelReport.SkipReasons(result), Path.Combine(folder, "skip-reasons.csv"));
        SaveCsv(LabelReport.Agreement(result), Path.Combine(folder, "agreement.csv"));
        for (var a = 0; a < result.TaskNames.Count; a++)
        {
            for (var b = a + 1; b < result.TaskNames.Count; b++)
            {
                SaveCsv(LabelReport.Contingency(result, result.TaskNames[a], result.TaskNames[b]),
                    Path.Combine(folder, $"contingency-{result.TaskNames[a]}-vs-{result.TaskNames[b]}.csv"), "class");
            }
        }
        var reference = LabelReport.FindReferenceColumn(result);
        if (reference is not null)
        {
            SaveCsv(LabelReport.VersusReference(result, reference), Path.Combine(folder, $"vs-{reference}.csv"));
            foreach (var task in result.TaskNames)
            {
                var levels = result.LabelSets[task].Granularity == LabelGranularity.Chunk ? new[] { "clip", "chunk" } : ["clip"];
                foreach (var level in levels)
                {
                    SaveCsv(LabelReport.ReferenceContingency(result, task, reference, level),
                        Path.Combine(folder, $"contingency-{task}-vs-{reference}-{level}.csv"), reference);
                }
            }
        }

        SaveChart(PretextCharts.LabelDistribution(result), Path.Combine(folder, "label-distribution.html"), "Pretext label distribution");
        var chartEntry = ChartClip(result, chartClip);
        if (chartEntry is null)
        {
            return;
        }
        var clip = labelling.BuildClip(result.ManifestOf(chartEntry.Id), chartEntry);
        var name = SafeName(chartEntry.Id);
        // Every task that draws a per-clip chart (IPretextTaskClipChart), a user's task included.
        foreach (var chart in PretextClipCharts.Of(registry, result, clip))
        {
            SaveChart(chart.Chart, Path.Combine(folder, $"{chart.Name}-{name}.html"), chart.Title);
        }
    }

    /// <summary>The requested clip, else the first clip labelled by the most tasks (so face charts have data).</summary>
    private static ManifestEntry? ChartClip(PretextLabellingResult result, string? requested)
    {
        if (requested is not null)
        {
            return result.Entries.FirstOrDefault(e => e.Id == requested)
                ?? throw new ArgumentException($"--chart-clip: clip '{requested}' is not in the manifest");
        }
        return result.Entries
            .Select((entry, index) => (entry, index, tasks: result.LabelSets.Values.Count(s => s.ByClip.ContainsKey(entry.Id))))
            .Where(c => c.tasks > 0)
            .OrderByDescending(c => c.tasks).ThenBy(c => c.index)
            .Select(c => c.entry)
            .FirstOrDefault();
    }

    private static void SaveCsv<TRow>(Frame<TRow, string> frame, string path, string? rowKeyName = null)
        where TRow : notnull
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        frame.SaveCsv(writer, includeRowKeys: rowKeyName is not null, keyNames: rowKeyName is null ? null : [rowKeyName],
            separator: ',', culture: CultureInfo.InvariantCulture);
        AtomicFile.WriteAllText(path, writer.ToString());
    }

    /// <summary>A standalone page with plotly.js inlined, so the chart opens offline.</summary>
    private static void SaveChart(GenericChart chart, string path, string title)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
            .Append(System.Net.WebUtility.HtmlEncode(title))
            .Append("</title>\n<script type=\"text/javascript\">")
            .Append(PlotlyChartHtml.ReadEmbeddedPlotlyJs())
            .Append("</script>\n</head><body>\n")
            .Append(PlotlyChartHtml.Render(chart))
            .Append("\n</body></html>\n");
        AtomicFile.WriteAllText(path, html.ToString());
    }

    private static string SafeName(string id) =>
        new(id.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());

    private static void PrintSummary(PretextLabellingResult result, string folder, IReadOnlyList<string> cacheProblems)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]{result.CorpusName}[/]: {result.ClipCount} clips; thresholds fitted on {result.FitScope}");

        var distribution = new Table().Title("Label distribution").AddColumns("task", "unit", "class", "count", "share");
        foreach (var row in LabelReport.DistributionRows(result))
        {
            distribution.AddRow(Markup.Escape(row.Task), row.Unit, Markup.Escape(row.Class),
                row.Count.ToString(CultureInfo.InvariantCulture), double.IsNaN(row.Share) ? "–" : row.Share.ToString("P1", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(distribution);

        var coverage = new Table().Title("Coverage").AddColumns("task", "labelled clips", "skipped", "coverage");
        foreach (var task in result.TaskNames)
        {
            var labelled = result.LabelSets[task].ByClip.Count;
            var skipped = result.Skipped.Count(s => s.TaskName == task);
            coverage.AddRow(Markup.Escape(task), $"{labelled}/{result.ClipCount}", skipped.ToString(CultureInfo.InvariantCulture),
                (result.ClipCount == 0 ? 0 : labelled / (double)result.ClipCount).ToString("P1", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(coverage);

        if (result.Skipped.Count > 0)
        {
            var reasons = new Table().Title("Skipped clips").AddColumns("task", "reason", "clips", "example");
            foreach (var group in result.Skipped.GroupBy(s => (s.TaskName, s.Category)))
            {
                reasons.AddRow(Markup.Escape(group.Key.TaskName), Markup.Escape(group.Key.Category),
                    group.Count().ToString(CultureInfo.InvariantCulture), Markup.Escape($"{group.First().ClipId}: {group.First().Reason}"));
            }
            AnsiConsole.Write(reasons);
        }

        var reference = LabelReport.FindReferenceColumn(result);
        if (reference is not null)
        {
            var relation = new Table().Title($"Labels vs {reference}").AddColumns("task", "level", "items", "MI (bits)", "NMI");
            foreach (var row in LabelReport.VersusReferenceRows(result, reference))
            {
                relation.AddRow(Markup.Escape(row.Task), row.Level, row.Items.ToString(CultureInfo.InvariantCulture),
                    Format(row.MutualInformationBits), Format(row.Nmi));
            }
            AnsiConsole.Write(relation);
        }
        foreach (var problem in cacheProblems.Take(5))
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]feature cache:[/] {problem}");
        }
        AnsiConsole.MarkupLineInterpolated($"Wrote labels, labeller states, report tables and charts to {folder}");
    }

    private static string Format(double value) => double.IsNaN(value) ? "–" : value.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
    private sealed class SynchronousProgress(Action<PretextLabellingProgress> report) : IProgress<PretextLabellingProgress>
    {
        private readonly Lock _gate = new();

        public void Report(PretextLabellingProgress value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
