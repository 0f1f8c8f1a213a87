namespace SerNotebooks.Features.Shards;

/// <summary>
/// How feature values are stored in a shard. <see cref="Float32"/> (the default) stores the extractor's floats bit for bit,
/// so training reads exactly the numbers the in-memory path had. <see cref="Float16"/> halves the disk and page-cache
/// footprint but rounds every value to 11 significant bits (relative error ≤ 2⁻¹¹ ≈ 4.9e-4, log-mel values of −100..+40
/// dB-like magnitudes keep ~0.03 absolute precision): training on it gives different numbers, so it is opt-in
/// (<c>featurePrecision: "float16"</c> in a run's config).
/// </summary>
public enum ShardPrecision
{
    Float32 = 0,
    Float16 = 1,
}

internal static class ShardPrecisionExtensions
{
    public static int BytesPerValue(this ShardPrecision precision) => precision switch
    {
        ShardPrecision.Float32 => sizeof(float),
        ShardPrecision.Float16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown shard precision"),
    };
}
