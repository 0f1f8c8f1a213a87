using SerNotebooks.Charts;
using SerNotebooks.Training;

namespace SerNotebooks.Ablation;

/// <summary>
/// The target study's charts, beside its tables in <c>beyond/charts/</c> as the main ablation's are in <c>charts/</c>
/// (self-contained HTML, they open offline): macro-F1 by target against the intended labels and against each perceived
/// reference, each configuration's change versus the first target, and the baseline's penalty matrix.
/// </summary>
public static class TargetStudyCharts
{
    /// <summary>Writes the charts of <paramref name="result"/> (the study's tables) and returns their paths.</summary>
    public static IReadOnlyList<string> Write(TargetStudy study, AblationResult result)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(result);
        var charts = new ChartFolder(Path.Combine(study.TablesDirectory, Reproduction.ChartsFolder));
        var groups = result.Groups.Where(g => g.Target is not null).ToList();
        if (groups.Count == 0)
        {
            return charts.Written;
        }
        charts.Save(ProbeComparisonChart.Create(groups.Select(g => (g.Target!.Name, g.Summary)).ToList(),
                title: "Macro-F1 against the intended labels, by fine-tuning target (mean ± std over seeds)"),
            "macro-f1-by-target.html", "Macro-F1 by fine-tuning target (intended labels)");
        foreach (var reference in groups.SelectMany(g => g.Perceived.Keys).Distinct(StringComparer.Ordinal))
        {
            charts.Save(ProbeComparisonChart.Create(groups.Where(g => g.Perceived.ContainsKey(reference)).Select(g => (g.Target!.Name, g.Perceived[reference])).ToList(),
                    title: $"Macro-F1 against {reference}, by fine-tuning target (mean ± std over seeds)"),
                $"macro-f1-by-target-{reference}.html", $"Macro-F1 by fine-tuning target ({reference})");
        }
        foreach (var (configuration, comparison) in TargetStudy.CompareTargets(result))
        {
            charts.Save(EvaluationCharts.DeltaVersusBaseline(comparison, relative: true,
                    title: $"{configuration}: change in macro scores versus the {comparison.Baseline} target (%)"),
                $"delta-vs-{comparison.Baseline}-{configuration}.html", $"{configuration}: change versus {comparison.Baseline}");
        }
        if (study.Plan.Targets.FirstOrDefault(t => t.Penalty is not null) is { } penalty)
        {
            var run = study.RunDirectory(AblationPlan.Baseline, study.Plan.Seeds[0], penalty.Name, study.Plan.Folds == 0 ? null : 1);
            charts.Save(PenaltyMatrixChart.Heatmap(PenaltyMatrix.OfRun(run)), "penalty-matrix.html", "Penalty matrix (the baseline's first penalty run)");
        }
        return charts.Written;
    }
}
