namespace SerNotebooks.Demo;

/// <summary>A phone placed on the clip's timeline, with the syllable-level loudness and pitch accent it carries.</summary>
public sealed record TimedPhone(Phone Phone, double Start, double End, int Syllable, bool Stressed, double LevelDb, double AccentSemitones);

/// <summary>
/// The timeline of one utterance: phones with start and end times, pauses as gaps, phrase spans for
/// declination. Voice and face both read it, so the jaw moves with the syllables that are heard.
/// </summary>
public sealed record UtterancePlan(IReadOnlyList<TimedPhone> Phones, IReadOnlyList<(double Start, double End)> Phrases, double Duration)
{
    public static UtterancePlan Build(IReadOnlyList<Syllable> syllables, VoiceStyle style, DemoRandom random, double? minDuration = null, double extraSilence = 0)
    {
        var syllableSeconds = 1.0 / style.SyllableRate;
        var t = random.Uniform(0.12, 0.35) + random.Uniform(0, extraSilence);
        var phones = new List<TimedPhone>();
        var phrases = new List<(double, double)>();
        var phraseStart = t;
        var phraseDb = 0.0;
        for (var s = 0; s < syllables.Count; s++)
        {
            var syllable = syllables[s];
            var final = s == syllables.Count - 1;
            var levelDb = (syllable.Stressed ? 2.5 : -2.0) + random.Gaussian(0, style.SyllableLevelSigmaDb) + phraseDb;
            var accent = 0.0;
            if (syllable.Stressed)
            {
                accent = style.AccentRangeSemitones * random.Uniform(0.5, 1.2);
                if (random.Chance(style.EmphasisProbability))
                {
                    levelDb += random.Uniform(3, 7);
                    accent *= 1.5;
                }
            }
            else if (random.Chance(0.15))
            {
                accent = style.AccentRangeSemitones * random.Uniform(-0.4, 0.4);
            }
            // Syllable durations: a share of the syllable period per phone, stressed and phrase-final syllables longer.
            var stretch = (syllable.Stressed ? 1.3 : 0.85) * (final ? 1.35 : 1.0) * random.Gaussian(1, 0.08);
            var weights = syllable.Phones.Select(PhoneWeight).ToArray();
            var weightSum = weights.Sum();
            var syllableDuration = syllableSeconds * stretch * (0.8 + 0.25 * syllable.Phones.Count) / 1.55;
            for (var p = 0; p < syllable.Phones.Count; p++)
            {
                var duration = Math.Max(0.025, syllableDuration * weights[p] / weightSum * random.Gaussian(1, 0.1));
                var phoneDb = syllable.Phones[p].Kind == PhoneKind.Vowel ? levelDb : levelDb - 3 * style.ConsonantContrast;
                phones.Add(new TimedPhone(syllable.Phones[p], t, t + duration, s, syllable.Stressed, phoneDb, accent));
                t += duration;
            }
            phraseDb -= random.Uniform(0.1, 0.6);
            if (syllable.WordEnd && s < syllables.Count - 1 && random.Chance(style.PauseProbability))
            {
                phrases.Add((phraseStart, t));
                t += random.Uniform(0.12, 0.42) * style.PauseScale;
                phraseStart = t;
                phraseDb = random.Gaussian(0, 1);
            }
        }
        phrases.Add((phraseStart, t));
        t += random.Uniform(0.15, 0.4) + random.Uniform(0, extraSilence);
        if (minDuration is { } min && t < min)
        {
            t = min;
        }
        return new UtterancePlan(phones, phrases, t);
    }

    private static double PhoneWeight(Phone phone) => phone.Kind switch
    {
        PhoneKind.Vowel => phone.GlideTo is null ? 1.0 : 1.3,
        PhoneKind.Plosive => 0.55,
        PhoneKind.VoicedPlosive => 0.45,
        PhoneKind.Fricative => 0.6,
        PhoneKind.VoicedFricative => 0.45,
        PhoneKind.Aspirate => 0.4,
        PhoneKind.Nasal => 0.45,
        PhoneKind.Approximant => 0.4,
        _ => 0.5,
    };
}
