using SerNotebooks.Charts;
using SerNotebooks.Data;
using SerNotebooks.Native;
using SerNotebooks.Tests.Charts;
using SerNotebooks.Training;
using TorchSharp;

namespace SerNotebooks.Tests.Training;

public class PenaltyMatrixTests
{
    private static RaterVoteCounts Votes(int anger, int disgust, int neutral) => new([anger, disgust, 0, 0, neutral, 0]);

    /// <summary>
    /// Four clips, classes anger (A), disgust (D), neutral (N); an emotion is "chosen" on a clip when one rater voted for it:
    ///   clip 1: A 3, D 2 → {A, D};  clip 2: A 5 → {A};  clip 3: D 1, N 4 → {D, N};  clip 4: A 1, D 1, N 1 → {A, D, N}.
    /// Totals (diagonal): A on clips 1, 2, 4 = 3; D on 1, 3, 4 = 3; N on 3, 4 = 2.
    /// Pairs: A&amp;D on 1, 4 = 2; A&amp;N on 4 = 1; D&amp;N on 3, 4 = 2.
    /// Column j divided by j's total, M[t][p] = C[t][p] / C[p][p]; P = 1 − M:
    ///   P[A][D] = 1 − 2/3 = 1/3   P[A][N] = 1 − 1/2 = 1/2
    ///   P[D][A] = 1 − 2/3 = 1/3   P[D][N] = 1 − 2/2 = 0
    ///   P[N][A] = 1 − 1/3 = 2/3   P[N][D] = 1 − 2/3 = 1/3
    /// Asymmetric: predicting neutral for a disgust clip is free (every clip where someone heard N had someone hear D),
    /// predicting anger for a neutral clip costs 2/3. A clip without votes (null) is skipped.
    /// </summary>
    [Fact]
    public void HandCheckedFourClipCase()
    {
        var matrix = PenaltyMatrix.FromVotes(["anger", "disgust", "neutral"],
            [Votes(3, 2, 0), Votes(5, 0, 0), Votes(0, 1, 4), Votes(1, 1, 1), null, Votes(0, 0, 0)]);

        Assert.Equal(4, matrix.Clips);
        Assert.Equal([[3, 2, 1], [2, 3, 2], [1, 2, 2]], matrix.Cooccurrences);
        double[][] expected = [[0, 1 / 3.0, 1 / 2.0], [1 / 3.0, 0, 0], [2 / 3.0, 1 / 3.0, 0]];
        for (var t = 0; t < 3; t++)
        {
            Assert.Equal(expected[t], matrix.Penalty[t], (a, b) => Math.Abs(a - b) < 1e-12);
        }
        var csv = matrix.ToCsv().Split('\n');
        Assert.Equal("target\\predicted,anger,disgust,neutral", csv[0]);
        Assert.Equal($"anger,0,{(1 - 2 / 3.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture)},0.5", csv[1]);

        // An emotion nobody chose is distant from every other both ways (P[A][F]: empty column; P[F][A] = 1 − 0/1), and a
        // correct prediction still costs 0.
        var withFear = PenaltyMatrix.FromVotes(["anger", "fear"], [Votes(3, 2, 0)]);
        Assert.Equal([[0.0, 1.0], [1.0, 0.0]], withFear.Penalty);
    }

    [Fact]
    public void HeatmapShowsTargetsDownAndPredictionsAcrossWithTheCountsInTheHover()
    {
        var matrix = PenaltyMatrix.FromVotes(["anger", "disgust", "neutral"], [Votes(3, 2, 0), Votes(5, 0, 0), Votes(0, 1, 4), Votes(1, 1, 1)]);

        var trace = ChartJson.Traces(PenaltyMatrixChart.Heatmap(matrix)).Single();

        Assert.Equal("heatmap", (string?)trace["type"]);
        Assert.Equal(["anger", "disgust", "neutral"], trace["x"]!.Select(v => (string)v!));
        Assert.Equal(2 / 3.0, (double)trace["z"]![2]![0]!, 12);
        Assert.Equal("0.67 (1/3)", (string?)trace["text"]![2]![0]);
        Assert.Equal("reversed", (string?)ChartJson.Layout(PenaltyMatrixChart.Heatmap(matrix))["yaxis"]!["autorange"]);
    }

    /// <summary>
    /// Two classes, logits 0 → q = (1/2, 1/2). Hard target class 0: L = −log 1/2 = ln 2. Soft target (1/2, 1/2): KL = 0.
    /// Penalty P = [[0, 1], [1/2, 0]]: for target 0, L_P = −P[0][1]·log(1 − 1/2) = ln 2; for target (1/2, 1/2) the weights
    /// y·P = (1/4, 1/2), L_P = (1/4 + 1/2)·ln 2. A row without target (0, 0) is left out of the means. Multi-label, sigmoid
    /// outputs σ(0) = 1/2: target (1, 0) has binary cross-entropy ln 2 per class, mean ln 2, and L_P = −P[0][1]·log(1 − 1/2)
    /// = ln 2; target (1, 1) has L_P = 0, since a class that is itself a target is no mistake.
    /// </summary>
    [Fact]
    public void LossTermsMatchHandComputedValues()
    {
        TorchRuntime.EnsureLoadable();
        using var scope = torch.NewDisposeScope();
        var logits = torch.zeros(2, 2);
        var hard = torch.tensor(new float[] { 1, 0, 0, 0 }, [2, 2]);
        var soft = torch.tensor(new float[] { 0.5f, 0.5f, 0, 0 }, [2, 2]);
        var penalty = torch.tensor(new float[] { 0, 1, 0.5f, 0 }, [2, 2]);
        var ln2 = Math.Log(2);

        Assert.Equal(ln2, TargetDistributionLoss.Compute(logits, hard, TargetLoss.CrossEntropy)!.item<float>(), 5);
        Assert.Equal(0, TargetDistributionLoss.Compute(logits, soft, TargetLoss.KlDivergence)!.item<float>(), 5);
        Assert.Equal(0.5 * ln2 + 2 * ln2, TargetDistributionLoss.Compute(logits, hard, TargetLoss.CrossEntropy, penalty, alpha: 2, beta: 0.5)!.item<float>(), 5);
        Assert.Equal(0.75 * ln2, TargetDistributionLoss.Compute(logits, soft, TargetLoss.KlDivergence, penalty, alpha: 1, beta: 1)!.item<float>(), 5);
        Assert.Null(TargetDistributionLoss.Compute(logits, torch.zeros(2, 2), TargetLoss.KlDivergence));

        var both = torch.tensor(new float[] { 1, 1, 0, 0 }, [2, 2]);
        Assert.Equal(ln2, TargetDistributionLoss.Compute(logits, hard, TargetLoss.BinaryCrossEntropy)!.item<float>(), 5);
        Assert.Equal(0.5 * ln2 + 2 * ln2, TargetDistributionLoss.Compute(logits, hard, TargetLoss.BinaryCrossEntropy, penalty, alpha: 2, beta: 0.5)!.item<float>(), 5);
        Assert.Equal(ln2, TargetDistributionLoss.Compute(logits, both, TargetLoss.BinaryCrossEntropy, penalty, alpha: 2, beta: 1)!.item<float>(), 5);
        // The binary cross-entropy is PyTorch's, per class: a confident right answer costs almost nothing, a wrong one a lot.
        var confident = torch.tensor(new float[] { 20, -20 }, [1, 2]);
        Assert.InRange(TargetDistributionLoss.Compute(confident, torch.tensor(new float[] { 1, 0 }, [1, 2]), TargetLoss.BinaryCrossEntropy)!.item<float>(), 0, 1e-6);
        Assert.Equal(20, TargetDistributionLoss.Compute(confident, torch.tensor(new float[] { 0, 1 }, [1, 2]), TargetLoss.BinaryCrossEntropy)!.item<float>(), 3);
    }
}
