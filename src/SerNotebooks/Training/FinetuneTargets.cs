using SerNotebooks.Data;
using SerNotebooks.Data.CremaD;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>
/// What a fine-tuning run learns from when it is not the plain intended label (<see cref="TrainingConfig.Labels"/>,
/// <see cref="TrainingConfig.Penalty"/>): a target distribution per clip, float32 [clips, K] in the run's class order —
/// one-hot for hard labels (intended or perceived), the raters' vote shares for soft labels, an all-zero row where a clip
/// has no target (no votes, or a perceived majority tied), which the loss leaves out — and the penalty matrix.
/// </summary>
internal sealed class FinetuneTargets : IDisposable
{
    private FinetuneTargets(FinetuneLabels labels, Tensor distributions, PenaltyMatrix? matrix, Tensor? penalty, int trainingClipsWithTarget)
    {
        Labels = labels;
        Distributions = distributions;
        Matrix = matrix;
        Penalty = penalty;
        TrainingClipsWithTarget = trainingClipsWithTarget;
    }

    public FinetuneLabels Labels { get; }

    /// <summary>The loss <see cref="Labels"/> train with: KL for vote distributions, binary cross-entropy for multi-label, else cross-entropy.</summary>
    public TargetLoss Loss => TargetDistributionLoss.LossOf(Labels);

    /// <summary>float32 [clips, K]; an all-zero row = no target.</summary>
    public Tensor Distributions { get; }

    /// <summary>The penalty matrix counted from the training clips' votes; null without <see cref="TrainingConfig.Penalty"/>.</summary>
    public PenaltyMatrix? Matrix { get; }

    /// <summary><see cref="Matrix"/> as float32 [K, K]; null without a penalty.</summary>
    public Tensor? Penalty { get; }

    public int TrainingClipsWithTarget { get; }

    /// <summary>The rating modality whose votes a target (and the penalty matrix) uses: voice-only unless the labels are audiovisual.</summary>
    public static RatingModality ModalityOf(FinetuneLabels labels) =>
        labels is FinetuneLabels.PerceivedAv or FinetuneLabels.SoftAv or FinetuneLabels.MultiAv ? RatingModality.AudioVisual : RatingModality.Voice;

    /// <summary>The targets of <paramref name="config"/>; null when it asks for the plain intended labels without a penalty.</summary>
    /// <exception cref="TrainingRunException">The labels need votes and no training clip has them.</exception>
    public static FinetuneTargets? Create(TrainingConfig config, ChunkedDataset dataset, int[] train)
    {
        if (config.Labels == FinetuneLabels.Intended && config.Penalty is null)
        {
            return null;
        }
        var classes = config.Emotions;
        var modality = ModalityOf(config.Labels);
        RaterVoteCounts? VotesOf(int i) => dataset.Clips[i].Raters?.Votes.GetValueOrDefault(modality);
        var values = new float[dataset.Count * classes.Count];
        for (var i = 0; i < dataset.Count; i++)
        {
            var row = values.AsSpan(i * classes.Count, classes.Count);
            switch (config.Labels)
            {
                case FinetuneLabels.Intended:
                    row[TaskLabelTensor.IndexOf(classes, dataset.Clips[i].Emotion ?? "")] = 1;
                    break;
                case FinetuneLabels.PerceivedVoice or FinetuneLabels.PerceivedAv:
                    if (VotesOf(i)?.UniqueMajority is { } perceived && TaskLabelTensor.IndexOf(classes, perceived) is var index and >= 0)
                    {
                        row[index] = 1;
                    }
                    break;
                default:
                    // Vote shares; multi-label: every emotion at least one rater chose (the penalty matrix's own rule).
                    var shares = VotesOf(i)?.Distribution(classes);
                    var multiLabel = TargetDistributionLoss.LossOf(config.Labels) == TargetLoss.BinaryCrossEntropy;
                    for (var k = 0; shares is not null && k < classes.Count; k++)
                    {
                        row[k] = multiLabel ? (shares[k] > 0 ? 1 : 0) : (float)shares[k];
                    }
                    break;
            }
        }
        var withTarget = train.Count(i => values.AsSpan(i * classes.Count, classes.Count).ContainsAnyExcept(0f));
        var trainVotes = train.Select(VotesOf).ToArray();
        if (withTarget == 0 || (config.Penalty is not null && trainVotes.All(v => v is null)))
        {
            throw new TrainingRunException(
                $"labels {config.Labels}{(config.Penalty is null ? "" : " with penalty")}: no training clip has {modality} rater votes" +
                (config.Labels is FinetuneLabels.PerceivedVoice or FinetuneLabels.PerceivedAv ? " with a single majority" : "") +
                "; prepare the manifest with `sernb prepare crema-d` from a checkout that has processedResults/tabulatedVotes.csv");
        }
        var matrix = config.Penalty is null ? null : PenaltyMatrix.FromVotes(classes, trainVotes);
        var penalty = matrix is null ? null : torch.tensor(matrix.Penalty.SelectMany(r => r.Select(p => (float)p)).ToArray(), [classes.Count, classes.Count]);
        return new FinetuneTargets(config.Labels, torch.tensor(values, [dataset.Count, classes.Count]), matrix, penalty, withTarget);
    }

    public void Dispose()
    {
        Distributions.Dispose();
        Penalty?.Dispose();
    }
}

/// <summary>How a fine-tuning target is compared with the model's outputs.</summary>
public enum TargetLoss
{
    /// <summary>−Σ_k y_k log q_k with softmax q (one-hot targets).</summary>
    CrossEntropy,

    /// <summary>KL(y ‖ q) with softmax q (vote distributions).</summary>
    KlDivergence,

    /// <summary>Mean over the K classes of the binary cross-entropy of sigmoid outputs against 0/1 targets (multi-label).</summary>
    BinaryCrossEntropy,
}

/// <summary>
/// The fine-tuning loss against target distributions (TRAINING.md): over the rows with a target, the usual loss L —
/// cross-entropy −Σ_k y_k log q_k for hard labels, KL(y ‖ q) = Σ_k y_k (log y_k − log q_k) for vote distributions (q the
/// softmax), the mean binary cross-entropy over the classes for multi-label targets (q the sigmoid) — and, with a penalty
/// matrix P, the penalised term L_P = −Σ_t Σ_p y_t P[t,p] log(1 − q_p), which weights the log-likelihood of not predicting
/// p by how expensive p is for the target (multi-label: only classes p that are not themselves targets); total = β·L + α·L_P
/// (means over the rows).
/// </summary>
public static class TargetDistributionLoss
{
    /// <summary>q_p is kept below 1 − this inside log(1 − q_p), so a confident prediction has a finite penalty.</summary>
    private const double ProbabilityCeiling = 1 - 1e-6;

    /// <summary>The loss a choice of fine-tuning labels trains with.</summary>
    public static TargetLoss LossOf(FinetuneLabels labels) => labels switch
    {
        FinetuneLabels.SoftVoice or FinetuneLabels.SoftAv => TargetLoss.KlDivergence,
        FinetuneLabels.MultiVoice or FinetuneLabels.MultiAv => TargetLoss.BinaryCrossEntropy,
        _ => TargetLoss.CrossEntropy,
    };

    /// <summary>The loss of a batch; null when no row has a target.</summary>
    /// <param name="logits">[B, K].</param>
    /// <param name="targets">[B, K] target distributions or 0/1 multi-label rows; all-zero rows are left out.</param>
    /// <param name="loss">How the targets are compared with the outputs.</param>
    /// <param name="penalty">P [K, K], [target, predicted]; null = no penalised term.</param>
    /// <param name="alpha">α, the weight of L_P.</param>
    /// <param name="beta">β, the weight of L.</param>
    public static Tensor? Compute(Tensor logits, Tensor targets, TargetLoss loss, Tensor? penalty = null, double alpha = 0, double beta = 1)
    {
        var rows = targets.sum(1).gt(0).nonzero().squeeze(1);
        if (rows.shape[0] == 0)
        {
            return null;
        }
        var y = targets.index_select(0, rows);
        var z = logits.index_select(0, rows);
        var binary = loss == TargetLoss.BinaryCrossEntropy;
        var logQ = binary ? null : z.log_softmax(1);
        var perRow = binary
            ? nn.functional.binary_cross_entropy_with_logits(z, y, reduction: nn.Reduction.None).mean([1])
            : -(y * logQ!).sum(1);
        if (loss == TargetLoss.KlDivergence)
        {
            // The targets' own entropy term: zero where y is (0·log 0 = 0); constant, so the gradient is the cross-entropy's.
            perRow = perRow + (y * y.clamp_min(1e-12).log()).sum(1);
        }
        var total = beta * perRow.mean();
        if (penalty is not null && alpha > 0)
        {
            var weights = y.matmul(penalty.to(y.device));
            Tensor logNot;
            if (binary)
            {
                // A class that is itself a target is not a mistake, whichever other target would call it one.
                weights = weights * (1 - y);
                // log(1 − σ(z)) = log σ(−z), computed without forming 1 − σ(z); bounded below as in the softmax case (q ≤ 1 − 10⁻⁶).
                logNot = nn.functional.logsigmoid(-z).clamp_min(Math.Log(1 - ProbabilityCeiling));
            }
            else
            {
                logNot = (1 - logQ!.exp().clamp_max(ProbabilityCeiling)).log();
            }
            total = total + alpha * (-(weights * logNot).sum(1)).mean();
        }
        return total;
    }
}
