namespace SerNotebooks.Demo;

/// <summary>Preset sizes of the demo corpus.</summary>
public enum DemoCorpusSize
{
    /// <summary>For tests: about 40 unlabelled clips and 58 labelled ones; seconds to generate.</summary>
    Tiny,
    /// <summary>README's default: about 1.25 h unlabelled audiovisual speech, about 7 min labelled (12 actors): label-scarce, as in the paper.</summary>
    Demo,
    /// <summary>About 5.5 h unlabelled, about 1.9 h labelled from 91 actors (CREMA-D's actor count).</summary>
    Large,
}

/// <summary>The counts behind a <see cref="DemoCorpusSize"/>.</summary>
public sealed record DemoCorpusProfile(
    int UnlabelledSpeakers,
    int ClipsPerSpeaker,
    int VideoEvery,
    int Actors,
    int SentencesPerActor)
{
    public static DemoCorpusProfile For(DemoCorpusSize size) => size switch
    {
        DemoCorpusSize.Tiny => new(UnlabelledSpeakers: 8, ClipsPerSpeaker: 5, VideoEvery: 5, Actors: 4, SentencesPerActor: 2),
        DemoCorpusSize.Demo => new(UnlabelledSpeakers: 64, ClipsPerSpeaker: 24, VideoEvery: 10, Actors: 12, SentencesPerActor: 2),
        DemoCorpusSize.Large => new(UnlabelledSpeakers: 300, ClipsPerSpeaker: 22, VideoEvery: 10, Actors: 91, SentencesPerActor: 4),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "unknown demo corpus size"),
    };

    public int UnlabelledClips => UnlabelledSpeakers * ClipsPerSpeaker;
}
