namespace SerNotebooks.Ablation;

/// <summary>A target study as given (<see cref="TargetStudy.RecordFileName"/>): its combinations and its targets' names, the reference first.</summary>
public sealed record StudyRecord(string Combinations, IReadOnlyList<string> Targets)
{
    internal static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true };
}
