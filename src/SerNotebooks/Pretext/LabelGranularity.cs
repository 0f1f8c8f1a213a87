namespace SerNotebooks.Pretext;

/// <summary>Whether a task labels each chunk of an utterance or the utterance as a whole.</summary>
public enum LabelGranularity
{
    Chunk,
    Utterance,
}
