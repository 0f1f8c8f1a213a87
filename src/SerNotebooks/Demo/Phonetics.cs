namespace SerNotebooks.Demo;

/// <summary>Broad articulatory class of a phone: what the synthesiser excites and how the face moves.</summary>
public enum PhoneKind
{
    Vowel,
    Fricative,
    VoicedFricative,
    Aspirate,
    Plosive,
    VoicedPlosive,
    Nasal,
    Approximant,
}

/// <summary>
/// One phone: formant targets (adult male values, scaled per speaker), frication noise band, and the
/// mouth shape the face animator uses (jaw opening 0..1, lip rounding and closure).
/// </summary>
public sealed record Phone(
    string Symbol,
    PhoneKind Kind,
    double F1,
    double F2,
    double F3,
    double NoiseCentre = 0,
    double NoiseBandwidth = 0,
    double NoiseGain = 0,
    double JawOpening = 0.2,
    double Rounding = 0,
    bool LipClosure = false,
    string? GlideTo = null)
{
    public bool IsVoiced => Kind is PhoneKind.Vowel or PhoneKind.VoicedFricative or PhoneKind.VoicedPlosive
        or PhoneKind.Nasal or PhoneKind.Approximant;
}

/// <summary>
/// A small phone inventory (General American formant values after Peterson and Barney / Hillenbrand)
/// and the syllable scripts of the twelve CREMA-D sentences.
/// </summary>
public static class Phonetics
{
    private static readonly Phone[] Inventory =
    [
        new("i", PhoneKind.Vowel, 270, 2290, 3010, JawOpening: 0.15),
        new("I", PhoneKind.Vowel, 390, 1990, 2550, JawOpening: 0.25),
        new("e", PhoneKind.Vowel, 480, 2090, 2690, JawOpening: 0.35, GlideTo: "I"),
        new("E", PhoneKind.Vowel, 530, 1840, 2480, JawOpening: 0.45),
        new("ae", PhoneKind.Vowel, 660, 1720, 2410, JawOpening: 0.7),
        new("a", PhoneKind.Vowel, 730, 1090, 2440, JawOpening: 0.85),
        new("A", PhoneKind.Vowel, 640, 1190, 2390, JawOpening: 0.6),
        new("O", PhoneKind.Vowel, 570, 840, 2410, JawOpening: 0.6, Rounding: 0.6),
        new("o", PhoneKind.Vowel, 500, 900, 2400, JawOpening: 0.45, Rounding: 0.7, GlideTo: "U"),
        new("U", PhoneKind.Vowel, 440, 1020, 2240, JawOpening: 0.3, Rounding: 0.6),
        new("u", PhoneKind.Vowel, 300, 870, 2240, JawOpening: 0.2, Rounding: 0.9),
        new("@", PhoneKind.Vowel, 500, 1500, 2500, JawOpening: 0.35),
        new("3", PhoneKind.Vowel, 490, 1350, 1690, JawOpening: 0.35, Rounding: 0.3),
        new("aI", PhoneKind.Vowel, 730, 1090, 2440, JawOpening: 0.85, GlideTo: "I"),
        new("aU", PhoneKind.Vowel, 730, 1090, 2440, JawOpening: 0.85, GlideTo: "U"),
        new("OI", PhoneKind.Vowel, 570, 840, 2410, JawOpening: 0.6, Rounding: 0.6, GlideTo: "I"),
        new("p", PhoneKind.Plosive, 400, 1000, 2300, 1200, 1500, 0.5, 0.05, LipClosure: true),
        new("b", PhoneKind.VoicedPlosive, 400, 1000, 2300, 1200, 1500, 0.4, 0.05, LipClosure: true),
        new("t", PhoneKind.Plosive, 400, 1700, 2600, 4200, 2000, 0.8, 0.15),
        new("d", PhoneKind.VoicedPlosive, 400, 1700, 2600, 4000, 2000, 0.6, 0.15),
        new("k", PhoneKind.Plosive, 400, 1900, 2400, 2200, 1200, 0.7, 0.2),
        new("g", PhoneKind.VoicedPlosive, 400, 1900, 2400, 2200, 1200, 0.5, 0.2),
        new("f", PhoneKind.Fricative, 400, 1400, 2400, 4500, 4000, 0.25, 0.1),
        new("v", PhoneKind.VoicedFricative, 400, 1400, 2400, 4500, 4000, 0.15, 0.1),
        new("T", PhoneKind.Fricative, 400, 1600, 2500, 5000, 4000, 0.2, 0.15),
        new("D", PhoneKind.VoicedFricative, 400, 1600, 2500, 5000, 4000, 0.12, 0.15),
        new("s", PhoneKind.Fricative, 400, 1700, 2600, 6000, 1800, 0.9, 0.1),
        new("z", PhoneKind.VoicedFricative, 400, 1700, 2600, 6000, 1800, 0.5, 0.1),
        new("S", PhoneKind.Fricative, 400, 1800, 2400, 3000, 1200, 1.0, 0.15, 0.5),
        new("h", PhoneKind.Aspirate, 500, 1500, 2500, 0, 0, 0.5, 0.3),
        new("m", PhoneKind.Nasal, 260, 1100, 2200, JawOpening: 0.05, LipClosure: true),
        new("n", PhoneKind.Nasal, 260, 1500, 2500, JawOpening: 0.15),
        new("N", PhoneKind.Nasal, 260, 1800, 2400, JawOpening: 0.2),
        new("l", PhoneKind.Approximant, 360, 1300, 2700, JawOpening: 0.25),
        new("r", PhoneKind.Approximant, 310, 1060, 1380, JawOpening: 0.2, Rounding: 0.4),
        new("w", PhoneKind.Approximant, 300, 610, 2200, JawOpening: 0.1, Rounding: 0.9),
        new("j", PhoneKind.Approximant, 260, 2070, 3020, JawOpening: 0.12),
    ];

    private static readonly Dictionary<string, Phone> BySymbol = Inventory.ToDictionary(p => p.Symbol, StringComparer.Ordinal);

    public static Phone Get(string symbol) =>
        BySymbol.TryGetValue(symbol, out var phone)
            ? phone
            : throw new ArgumentException($"unknown phone symbol '{symbol}'", nameof(symbol));

    /// <summary>The twelve CREMA-D sentence codes with their text, in the corpus's order.</summary>
    public static IReadOnlyList<(string Code, string Text)> CremaSentences { get; } =
    [
        ("IEO", "It's eleven o'clock"),
        ("TIE", "That is exactly what happened"),
        ("IOM", "I'm on my way to the meeting"),
        ("IWW", "I wonder what this is about"),
        ("TAI", "The airplane is almost full"),
        ("MTI", "Maybe tomorrow it will be cold"),
        ("IWL", "I would like a new alarm clock"),
        ("ITH", "I think I have a doctor's appointment"),
        ("DFA", "Don't forget a jacket"),
        ("ITS", "I think I've seen this before"),
        ("TSI", "The surface is slick"),
        ("WSI", "We'll stop in a couple of minutes"),
    ];

    // Syllables separated by '|', phones by spaces, a leading apostrophe marks stress, '#' a word end.
    private static readonly Dictionary<string, string> CremaScripts = new(StringComparer.Ordinal)
    {
        ["IEO"] = "I t s # | I | 'l E | v @ n # | @ | 'k l a k #",
        ["TIE"] = "'D ae t # | I z # | I g | 'z ae k | t l i # | 'w A t # | 'h ae | p @ n d #",
        ["IOM"] = "aI m # | a n # | m aI # | 'w e # | t @ # | D @ # | 'm i | t I N #",
        ["IWW"] = "aI # | 'w A n | d 3 # | w A t # | 'D I s # | I z # | @ | 'b aU t #",
        ["TAI"] = "D i # | 'E r | p l e n # | I z # | 'O l | m o s t # | 'f U l #",
        ["MTI"] = "'m e | b i # | t @ | 'm a | r o # | I t # | w I l # | b i # | 'k o l d #",
        ["IWL"] = "aI # | w U d # | 'l aI k # | @ # | 'n u # | @ | 'l a r m # | 'k l a k #",
        ["ITH"] = "aI # | 'T I N k # | aI # | h ae v # | @ # | 'd a k | t 3 z # | @ | 'p OI n t | m @ n t #",
        ["DFA"] = "'d o n t # | f 3 | 'g E t # | @ # | 'D ae | k I t #",
        ["ITS"] = "aI # | 'T I N k # | aI v # | 's i n # | D I s # | b I | 'f O r #",
        ["TSI"] = "D @ # | 's 3 | f @ s # | I z # | 's l I k #",
        ["WSI"] = "w i l # | 's t a p # | I n # | @ # | 'k A | p @ l # | @ v # | 'm I | n I t s #",
    };

    /// <summary>The syllables of a CREMA-D sentence (fixed phonetic content, so a sentence sounds the same across actors).</summary>
    public static IReadOnlyList<Syllable> CremaSentence(string code) =>
        CremaScripts.TryGetValue(code, out var script)
            ? ParseScript(script)
            : throw new ArgumentException($"unknown CREMA-D sentence code '{code}'", nameof(code));

    private static readonly string[] Onsets =
        ["p", "b", "t", "d", "k", "g", "f", "v", "s", "z", "S", "h", "m", "n", "l", "r", "w", "j", "T", "D"];
    private static readonly double[] OnsetWeights =
        [4, 4, 6, 5, 4, 2, 3, 2, 6, 2, 2, 3, 5, 5, 5, 5, 4, 1, 1, 4];
    private static readonly string[] Nuclei = ["i", "I", "e", "E", "ae", "a", "A", "O", "o", "U", "u", "@", "3", "aI", "aU", "OI"];
    private static readonly double[] NucleusWeights = [4, 6, 3, 5, 4, 4, 4, 2, 3, 2, 3, 8, 2, 3, 1, 1];
    private static readonly string[] Codas = ["t", "d", "k", "s", "z", "n", "m", "N", "l", "r", "p", "v", "f", "T"];
    private static readonly double[] CodaWeights = [6, 4, 3, 5, 3, 7, 3, 2, 4, 3, 2, 2, 1, 1];

    /// <summary>A random pseudo-sentence: words of one to three syllables, stress on one syllable per word.</summary>
    public static IReadOnlyList<Syllable> RandomUtterance(DemoRandom random, int syllableCount)
    {
        var syllables = new List<Syllable>(syllableCount);
        while (syllables.Count < syllableCount)
        {
            var wordLength = Math.Min(syllableCount - syllables.Count, 1 + random.Choose([5, 3, 1.5]));
            var stressed = wordLength == 1 ? (random.Chance(0.6) ? 0 : -1) : random.Choose([3, 1, 0.5]) % wordLength;
            for (var s = 0; s < wordLength; s++)
            {
                var phones = new List<Phone>(4);
                if (random.Chance(0.8))
                {
                    phones.Add(Get(Onsets[random.Choose(OnsetWeights)]));
                    if (random.Chance(0.12))
                    {
                        phones.Add(Get(random.Chance(0.5) ? "l" : "r"));
                    }
                }
                var nucleus = s == stressed ? Nuclei[random.Choose(NucleusWeights)] : (random.Chance(0.55) ? "@" : Nuclei[random.Choose(NucleusWeights)]);
                phones.Add(Get(nucleus));
                if (random.Chance(0.45))
                {
                    phones.Add(Get(Codas[random.Choose(CodaWeights)]));
                }
                syllables.Add(new Syllable(phones, Stressed: s == stressed, WordEnd: s == wordLength - 1));
            }
        }
        return syllables;
    }

    private static List<Syllable> ParseScript(string script)
    {
        var syllables = new List<Syllable>();
        foreach (var raw in script.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var text = raw;
            var stressed = text.StartsWith('\'');
            var wordEnd = text.EndsWith('#');
            text = text.Trim('\'', '#', ' ');
            var phones = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Get).ToList();
            syllables.Add(new Syllable(phones, stressed, wordEnd));
        }
        return syllables;
    }
}

/// <summary>One syllable: its phones in order, lexical stress and whether a word ends after it.</summary>
public sealed record Syllable(IReadOnlyList<Phone> Phones, bool Stressed, bool WordEnd);
