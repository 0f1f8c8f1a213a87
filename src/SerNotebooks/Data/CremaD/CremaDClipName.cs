using System.Globalization;
using System.Text.RegularExpressions;

namespace SerNotebooks.Data.CremaD;

/// <summary>
/// A CREMA-D clip name, <c>ActorID_Sentence_Emotion_Level</c> (e.g. <c>1001_DFA_ANG_XX</c>), with the
/// labels it encodes. Parsing is strict: an unknown actor, sentence, emotion or level code is an error
/// with the reason, never a guess.
/// </summary>
public sealed partial record CremaDClipName(int ActorId, string SentenceCode, string EmotionCode, string LevelCode)
{
    public const int FirstActorId = 1001;
    public const int LastActorId = 1091;

    /// <summary>The 12 sentence codes and their text (Cao et al., 2014).</summary>
    public static readonly IReadOnlyDictionary<string, string> Sentences = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["IEO"] = "It's eleven o'clock",
        ["TIE"] = "That is exactly what happened",
        ["IOM"] = "I'm on my way to the meeting",
        ["IWW"] = "I wonder what this is about",
        ["TAI"] = "The airplane is almost full",
        ["MTI"] = "Maybe tomorrow it will be cold",
        ["IWL"] = "I would like a new alarm clock",
        ["ITH"] = "I think I have a doctor's appointment",
        ["DFA"] = "Don't forget a jacket",
        ["ITS"] = "I think I've seen this before",
        ["TSI"] = "The surface is slick",
        ["WSI"] = "We'll stop in a couple of minutes",
    };

    /// <summary>Emotion codes and the label written to manifests.</summary>
    public static readonly IReadOnlyDictionary<string, string> Emotions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ANG"] = "anger",
        ["DIS"] = "disgust",
        ["FEA"] = "fear",
        ["HAP"] = "happiness",
        ["NEU"] = "neutral",
        ["SAD"] = "sadness",
    };

    /// <summary>Intended intensity codes and the label written to manifests (XX: not specified).</summary>
    public static readonly IReadOnlyDictionary<string, string> Levels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["LO"] = "low",
        ["MD"] = "medium",
        ["HI"] = "high",
        ["XX"] = "unspecified",
    };

    /// <summary>The actor ID as written in names and manifests (<c>1001</c>).</summary>
    public string Speaker => ActorId.ToString(CultureInfo.InvariantCulture);

    public string Emotion => Emotions[EmotionCode];

    public string Level => Levels[LevelCode];

    public string SentenceText => Sentences[SentenceCode];

    /// <summary>The clip name without extension.</summary>
    public override string ToString() => $"{ActorId}_{SentenceCode}_{EmotionCode}_{LevelCode}";

    /// <summary>Parses a name with or without directory and <c>.wav</c> extension; throws with the reason.</summary>
    public static CremaDClipName Parse(string name) =>
        TryParse(name, out var clip, out var reason) ? clip : throw new FormatException($"'{name}': {reason}");

    /// <summary>Parses a name; on failure <paramref name="reason"/> says what is wrong.</summary>
    public static bool TryParse(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CremaDClipName? clip, out string reason)
    {
        clip = null;
        var stem = Path.GetFileName(name);
        if (stem.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
        {
            stem = stem[..^4];
        }
        var match = NamePattern().Match(stem);
        if (!match.Success)
        {
            reason = $"name '{stem}' does not follow CREMA-D's ActorID_Sentence_Emotion_Level (e.g. 1001_DFA_ANG_XX)";
            return false;
        }
        var actor = int.Parse(match.Groups["actor"].Value, CultureInfo.InvariantCulture);
        var sentence = match.Groups["sentence"].Value;
        var emotion = match.Groups["emotion"].Value;
        var level = match.Groups["level"].Value;
        if (actor is < FirstActorId or > LastActorId)
        {
            reason = $"actor ID {actor} is outside CREMA-D's {FirstActorId}–{LastActorId}";
        }
        else if (!Sentences.ContainsKey(sentence))
        {
            reason = $"unknown sentence code '{sentence}' (known: {string.Join(' ', Sentences.Keys)})";
        }
        else if (!Emotions.ContainsKey(emotion))
        {
            reason = $"unknown emotion code '{emotion}' (known: {string.Join(' ', Emotions.Keys)})";
        }
        else if (!Levels.ContainsKey(level))
        {
            reason = $"unknown level code '{level}' (known: {string.Join(' ', Levels.Keys)})";
        }
        else
        {
            reason = string.Empty;
            clip = new CremaDClipName(actor, sentence, emotion, level);
            return true;
        }
        return false;
    }

    [GeneratedRegex(@"^(?<actor>[0-9]{4})_(?<sentence>[A-Za-z]{3})_(?<emotion>[A-Za-z]{3})_(?<level>[A-Za-z]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
