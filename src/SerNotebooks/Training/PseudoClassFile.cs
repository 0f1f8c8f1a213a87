namespace SerNotebooks.Training;

/// <summary>
/// One pseudo-class task's classes as the objective last assigned them: per chunk slot (clip row · C + chunk, in the
/// run's dataset order) the cluster, −1 for chunks that take no part; and the epoch whose start assigned them.
/// </summary>
public sealed record PseudoClassSnapshot(string TaskName, int ClusteredAtEpoch, long[] Classes);

/// <summary>
/// The pseudo-label file a pre-training run with a <see cref="Pretext.LabelKind.PseudoClasses"/> task writes beside each
/// checkpoint (<see cref="RunFolder.EpochPseudoClassPath"/>) and the best model (<see cref="RunFolder.BestPseudoClassPath"/>):
/// the classes the next epoch trains on, which the model's weights alone cannot give back when re-clustering happens
/// every N &gt; 1 epochs. Little-endian binary: a format tag, the task count, then per task its name, epoch, slot count
/// and int64 classes.
/// </summary>
public static class PseudoClassFile
{
    private const string Format = "sernb-pseudo-classes-1";

    public static void Write(Stream stream, IReadOnlyList<PseudoClassSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(snapshots);
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Format);
        writer.Write(snapshots.Count);
        foreach (var snapshot in snapshots)
        {
            writer.Write(snapshot.TaskName);
            writer.Write(snapshot.ClusteredAtEpoch);
            writer.Write(snapshot.Classes.Length);
            foreach (var value in snapshot.Classes)
            {
                writer.Write(value);
            }
        }
    }

    /// <exception cref="InvalidDataException">Not a pseudo-label file, or cut short.</exception>
    public static IReadOnlyList<PseudoClassSnapshot> Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
        try
        {
            if (reader.ReadString() != Format)
            {
                throw new InvalidDataException($"{path}: not a pseudo-label file ({Format})");
            }
            var snapshots = new PseudoClassSnapshot[reader.ReadInt32()];
            for (var t = 0; t < snapshots.Length; t++)
            {
                var name = reader.ReadString();
                var epoch = reader.ReadInt32();
                var classes = new long[reader.ReadInt32()];
                for (var i = 0; i < classes.Length; i++)
                {
                    classes[i] = reader.ReadInt64();
                }
                snapshots[t] = new PseudoClassSnapshot(name, epoch, classes);
            }
            return snapshots;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: cut short", e);
        }
    }
}
