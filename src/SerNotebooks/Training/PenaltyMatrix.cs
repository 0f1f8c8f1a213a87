using System.Globalization;
using System.Text;
using SerNotebooks.Data;

namespace SerNotebooks.Training;

/// <summary>
/// The cost of each (target, predicted) emotion pair, from how rarely raters chose both for the same clip
/// (TRAINING.md, "Penalty-matrix loss"). Over the clips' votes, an emotion is chosen on a clip when at least one rater
/// voted for it; <see cref="Cooccurrences"/>[i][j] counts the clips where both i and j were chosen (the diagonal: the
/// clips where i was). Dividing each column j by j's own count gives M[i][j] = P(i chosen | j chosen), asymmetric; the
/// penalty is P = 1 − M, read as P[target][predicted]: predicting j for a clip of i is cheap when raters who chose j
/// also chose i. The diagonal is 0 (a correct prediction costs nothing); a class nobody chose has penalty 1 in its column.
/// </summary>
public sealed class PenaltyMatrix
{
    public const string FileName = "penalty-matrix.csv";

    private PenaltyMatrix(IReadOnlyList<string> classes, int[][] cooccurrences, double[][] penalty, int clips)
    {
        Classes = classes;
        Cooccurrences = cooccurrences;
        Penalty = penalty;
        Clips = clips;
    }

    /// <summary>The classes, in row and column order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>[i][j]: clips on which both i and j were chosen; [i][i]: clips on which i was.</summary>
    public int[][] Cooccurrences { get; }

    /// <summary>[target][predicted]: 1 − P(target chosen | predicted chosen); 0 on the diagonal.</summary>
    public double[][] Penalty { get; }

    /// <summary>The clips with votes the matrix was counted from.</summary>
    public int Clips { get; }

    /// <summary>Counts <paramref name="votes"/> (one entry per clip; null entries, clips without votes, are skipped).</summary>
    public static PenaltyMatrix FromVotes(IReadOnlyList<string> classes, IEnumerable<RaterVoteCounts?> votes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var k = classes.Count;
        var counts = Enumerable.Range(0, k).Select(_ => new int[k]).ToArray();
        var clips = 0;
        foreach (var clip in votes)
        {
            if (clip is null || clip.Total == 0)
            {
                continue;
            }
            clips++;
            var chosen = Enumerable.Range(0, k).Where(c => clip[classes[c]] > 0).ToArray();
            foreach (var i in chosen)
            {
                foreach (var j in chosen)
                {
                    counts[i][j]++;
                }
            }
        }
        var penalty = new double[k][];
        for (var i = 0; i < k; i++)
        {
            penalty[i] = new double[k];
            for (var j = 0; j < k; j++)
            {
                penalty[i][j] = i == j ? 0 : counts[j][j] == 0 ? 1 : 1 - counts[i][j] / (double)counts[j][j];
            }
        }
        return new PenaltyMatrix(classes.ToArray(), counts, penalty, clips);
    }

    /// <summary>
    /// The matrix a finished penalty run trained with, for the heatmap: counted again from the votes of its training clips
    /// (its config.json's manifests, splits and modality) — the CSV keeps only P, the heatmap also shows the counts — and
    /// checked against the run's own <see cref="FileName"/>, so the chart never shows a matrix the run did not use.
    /// </summary>
    /// <exception cref="InvalidOperationException">The run has no penalty matrix, or the recount differs from it.</exception>
    public static PenaltyMatrix OfRun(string runDirectory)
    {
        var folder = new RunFolder(runDirectory);
        var stored = Path.Combine(folder.Directory, FileName);
        if (!File.Exists(stored))
        {
            throw new InvalidOperationException($"{stored}: missing; only a fine-tuning run with a penalty term writes it");
        }
        var config = TrainingConfig.Load(folder.ConfigPath);
        var modality = FinetuneTargets.ModalityOf(config.Labels);
        var matrix = FromVotes(config.Emotions, TrainingRun.SelectClips(config)
            .Where(c => c.Split == TrainingRun.TrainRole)
            .Select(c => Data.CremaD.CremaDPerception.FromManifestColumns(c.Entry)?.Votes.GetValueOrDefault(modality)));
        if (matrix.ToCsv() != File.ReadAllText(stored))
        {
            throw new InvalidOperationException($"{stored}: the votes of the run's training clips give a different matrix (were the manifests changed after the run?)");
        }
        return matrix;
    }

    /// <summary>The matrix as CSV: <c>target\predicted</c> then one column per class; rows in class order, round-trip numbers.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder("target\\predicted,").AppendJoin(',', Classes).Append('\n');
        for (var i = 0; i < Classes.Count; i++)
        {
            text.Append(Classes[i]).Append(',').AppendJoin(',', Penalty[i].Select(p => p.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }
        return text.ToString();
    }
}
