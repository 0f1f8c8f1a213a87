namespace SerNotebooks.Evaluation.Statistics;

/// <summary>
/// Mean and sample standard deviation (n − 1 denominator, as numpy's <c>std(ddof=1)</c> and R's <c>sd</c>)
/// of one metric over seeds or folds. With a single value the standard deviation is undefined (NaN).
/// </summary>
public sealed record MeanStd(double Mean, double Std, int Count)
{
    public static MeanStd Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var array = values.ToArray();
        if (array.Length == 0)
        {
            return new MeanStd(double.NaN, double.NaN, 0);
        }
        var mean = array.Average();
        if (array.Length == 1)
        {
            return new MeanStd(mean, double.NaN, 1);
        }
        var sumSquares = array.Sum(v => (v - mean) * (v - mean));
        return new MeanStd(mean, Math.Sqrt(sumSquares / (array.Length - 1)), array.Length);
    }

    /// <summary>"0.612 ± 0.034" (or "0.612" when the std is undefined), invariant culture.</summary>
    public string Format(string numberFormat = "0.000") =>
        double.IsNaN(Std)
            ? Mean.ToString(numberFormat, System.Globalization.CultureInfo.InvariantCulture)
            : $"{Mean.ToString(numberFormat, System.Globalization.CultureInfo.InvariantCulture)} ± {Std.ToString(numberFormat, System.Globalization.CultureInfo.InvariantCulture)}";
}
