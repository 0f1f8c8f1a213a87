using System.Text;

namespace SerNotebooks.Data.Splits;

/// <summary>An actor (speaker) and the sex used to balance splits (<c>female</c>, <c>male</c>, or <c>unknown</c>).</summary>
public sealed record ActorInfo(string Actor, string Sex)
{
    /// <summary>Maps demographic spellings (<c>Male</c>, <c>F</c>, ...) to <c>male</c>/<c>female</c>; anything else is <c>unknown</c>.</summary>
    public static string NormalizeSex(string? sex) => sex?.Trim().ToLowerInvariant() switch
    {
        "male" or "m" => "male",
        "female" or "f" => "female",
        _ => "unknown",
    };
}

/// <summary>The split (train/dev/test, or a fold name) one actor belongs to.</summary>
public sealed record ActorAssignment(string Actor, string Sex, string Split);

/// <summary>
/// Speaker-independent splits: every clip of an actor goes where the actor goes, so no actor is ever in
/// two splits. Both generators are seeded and sex-balanced, and deterministic across runtimes (their own
/// SplitMix64 generator, not <see cref="Random"/>).
/// </summary>
public static class ActorSplitGenerator
{
    public const string Train = "train";
    public const string Dev = "dev";
    public const string Test = "test";

    /// <summary>CREMA-D's 63/14/14-actor protocol as fractions, used for any number of actors.</summary>
    public const double DefaultHeldOutFraction = 14.0 / 91.0;

    /// <summary>
    /// Train/dev/test by actor. Dev and test each get <c>max(1, round(N × heldOutFraction))</c> actors,
    /// train the rest. Within dev and test the seats are shared as evenly as possible between the sexes
    /// (an odd seat goes to the sex with fewer held-out actors so far, then to the sex with more actors
    /// left); which actors fill them is a seeded shuffle within each sex. For CREMA-D's 48 men and
    /// 43 women this gives dev 7+7, test 7+7, train 34+29.
    /// </summary>
    public static IReadOnlyList<ActorAssignment> TrainDevTest(IEnumerable<ActorInfo> actors, int seed, double heldOutFraction = DefaultHeldOutFraction)
    {
        var groups = ShuffledGroups(actors, seed);
        var total = groups.Sum(g => g.Actors.Count);
        if (total < 3)
        {
            throw new ArgumentException($"a train/dev/test split needs at least 3 actors; got {total}", nameof(actors));
        }
        if (heldOutFraction is <= 0 or >= 0.5)
        {
            throw new ArgumentOutOfRangeException(nameof(heldOutFraction), heldOutFraction, "must be in (0, 0.5)");
        }
        var heldOut = Math.Max(1, (int)Math.Round(total * heldOutFraction, MidpointRounding.AwayFromZero));
        var remaining = groups.ToDictionary(g => g.Sex, g => g.Actors.Count, StringComparer.Ordinal);
        var takenSoFar = groups.ToDictionary(g => g.Sex, _ => 0, StringComparer.Ordinal);
        var next = groups.ToDictionary(g => g.Sex, _ => 0, StringComparer.Ordinal);
        var result = new List<ActorAssignment>(total);
        foreach (var split in new[] { Dev, Test })
        {
            var seats = groups.ToDictionary(g => g.Sex, _ => 0, StringComparer.Ordinal);
            for (var seat = 0; seat < heldOut; seat++)
            {
                var sex = groups
                    .Where(g => remaining[g.Sex] > 0)
                    .OrderBy(g => seats[g.Sex])
                    .ThenBy(g => takenSoFar[g.Sex])
                    .ThenByDescending(g => remaining[g.Sex])
                    .ThenBy(g => g.Sex, StringComparer.Ordinal)
                    .First().Sex;
                seats[sex]++;
                takenSoFar[sex]++;
                remaining[sex]--;
            }
            foreach (var group in groups)
            {
                for (var i = 0; i < seats[group.Sex]; i++)
                {
                    result.Add(new ActorAssignment(group.Actors[next[group.Sex]++].Actor, group.Sex, split));
                }
            }
        }
        foreach (var group in groups)
        {
            for (var i = next[group.Sex]; i < group.Actors.Count; i++)
            {
                result.Add(new ActorAssignment(group.Actors[i].Actor, group.Sex, Train));
            }
        }
        return Sorted(result);
    }

    /// <summary>
    /// k folds by actor (<c>fold1</c>…<c>foldK</c>): each sex is shuffled with the seed and dealt round-robin,
    /// the deal continuing from one sex to the next, so fold sizes differ by at most one and each fold
    /// mixes the sexes in proportion.
    /// </summary>
    public static IReadOnlyList<ActorAssignment> KFold(IEnumerable<ActorInfo> actors, int folds, int seed)
    {
        var groups = ShuffledGroups(actors, seed);
        var total = groups.Sum(g => g.Actors.Count);
        if (folds < 2 || folds > total)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"need 2 ≤ k ≤ number of actors ({total})");
        }
        var result = new List<ActorAssignment>(total);
        var dealt = 0;
        foreach (var group in groups)
        {
            foreach (var actor in group.Actors)
            {
                result.Add(new ActorAssignment(actor.Actor, group.Sex, $"fold{dealt++ % folds + 1}"));
            }
        }
        return Sorted(result);
    }

    /// <summary>Throws when an actor appears twice (in the same or different splits).</summary>
    public static void EnsureDisjoint(IEnumerable<ActorAssignment> assignments, string source)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in assignments)
        {
            if (!seen.TryAdd(a.Actor, a.Split))
            {
                throw new InvalidDataException($"{source}: actor {a.Actor} is assigned twice ({seen[a.Actor]} and {a.Split})");
            }
        }
    }

    private static List<ActorAssignment> Sorted(List<ActorAssignment> result)
    {
        EnsureDisjoint(result, "generated split");
        return result.OrderBy(a => a.Actor.Length).ThenBy(a => a.Actor, StringComparer.Ordinal).ToList();
    }

    private static List<(string Sex, List<ActorInfo> Actors)> ShuffledGroups(IEnumerable<ActorInfo> actors, int seed)
    {
        var list = actors.ToList();
        var duplicate = list.GroupBy(a => a.Actor, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"actor {duplicate.Key} is listed more than once", nameof(actors));
        }
        var random = new SplitMix64(seed);
        var groups = new List<(string, List<ActorInfo>)>();
        foreach (var group in list.GroupBy(a => ActorInfo.NormalizeSex(a.Sex)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // Sort before shuffling so the result depends only on the set of actors and the seed.
            var members = group.OrderBy(a => a.Actor.Length).ThenBy(a => a.Actor, StringComparer.Ordinal).ToList();
            for (var i = members.Count - 1; i > 0; i--)
            {
                var j = random.NextInt(i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }
            groups.Add((group.Key, members));
        }
        return groups;
    }

    /// <summary>SplitMix64 (Steele, Lea and Flood, 2014): tiny, well mixed, and fixed forever.</summary>
    private sealed class SplitMix64(int seed)
    {
        private ulong _state = unchecked((ulong)seed);

        public int NextInt(int exclusiveMax)
        {
            // Rejection sampling avoids modulo bias.
            var limit = ulong.MaxValue - ulong.MaxValue % (ulong)exclusiveMax;
            ulong value;
            do
            {
                value = Next();
            }
            while (value >= limit);
            return (int)(value % (ulong)exclusiveMax);
        }

        private ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}

/// <summary>Reads and writes split tables: CSV <c>actor,sex,split</c>, LF line ends, sorted by actor.</summary>
public static class ActorSplitTable
{
    public const string Header = "actor,sex,split";

    public static string Format(IEnumerable<ActorAssignment> assignments)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var a in assignments)
        {
            text.Append(a.Actor).Append(',').Append(a.Sex).Append(',').Append(a.Split).Append('\n');
        }
        return text.ToString();
    }

    public static void Write(string path, IEnumerable<ActorAssignment> assignments) =>
        AtomicFile.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(Format(assignments)));

    public static IReadOnlyList<ActorAssignment> Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses a table; errors name the source and line. Actors must be unique.</summary>
    public static IReadOnlyList<ActorAssignment> Parse(string text, string source)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        if (lines.Length == 0 || lines[0].Trim() != Header)
        {
            throw new ManifestFormatException(source, 1, $"expected the header '{Header}'");
        }
        var result = new List<ActorAssignment>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }
            var fields = lines[i].Split(',');
            if (fields.Length != 3 || fields.Any(f => f.Trim().Length == 0))
            {
                throw new ManifestFormatException(source, i + 1, "expected three non-empty fields: actor,sex,split");
            }
            result.Add(new ActorAssignment(fields[0].Trim(), fields[1].Trim(), fields[2].Trim()));
        }
        try
        {
            ActorSplitGenerator.EnsureDisjoint(result, source);
        }
        catch (InvalidDataException e)
        {
            throw new ManifestFormatException(source, null, e.Message);
        }
        return result;
    }
}
