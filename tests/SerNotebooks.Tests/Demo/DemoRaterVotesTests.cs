using SerNotebooks.Data;
using SerNotebooks.Data.CremaD;
using SerNotebooks.Demo;

namespace SerNotebooks.Tests.Demo;

/// <summary>The simulated perception study of the labelled demo clips, read by the project's own CREMA-D reader.</summary>
[Collection(TinyCorpusCollection.Name)]
public class DemoRaterVotesTests(TinyCorpusFixture corpus)
{
    private string Folder => Path.Combine(corpus.Root, DemoCorpusGenerator.CremaFolder, RaterSimulation.Folder);

    [Fact]
    public void TabulatedVotesAreReadAndConsistentForEveryClipAndModality()
    {
        var votes = CremaDRaterVotes.ReadTabulated(Path.Combine(Folder, CremaDRaterVotes.TabulatedVotesFileName));
        var clips = Manifest.Load(Path.Combine(corpus.Root, DemoCorpusGenerator.CremaManifestFolder)).Entries.Select(e => e.Id).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(58, clips.Length);
        Assert.Equal(clips.Length * 3, votes.Count);
        foreach (var modality in new[] { RatingModality.Voice, RatingModality.Face, RatingModality.AudioVisual })
        {
            Assert.Equal(clips, votes.Where(v => v.Modality == modality).Select(v => v.FileName).Order(StringComparer.Ordinal));
        }
        foreach (var vote in votes)
        {
            Assert.Equal(vote.Responses, vote.Counts.Sum());
            Assert.InRange(vote.Responses, 8, 12);
            var max = vote.Counts.Max();
            var expected = string.Join(":", Enumerable.Range(0, 6).Where(k => vote.Counts[k] == max).Select(k => CremaDRaterVotes.EmotionCodes[k]));
            Assert.Equal(expected, vote.EmotionVote);
            Assert.Equal(max / (double)vote.Responses, vote.Agreement, 12);
        }
        // Realistic disagreement: neither unanimous everywhere nor random.
        var agreement = votes.Average(v => v.Agreement);
        Assert.InRange(agreement, 0.45, 0.9);
        Assert.Contains(votes, v => v.Agreement < 0.6);
        Assert.Contains(votes, v => v.Agreement == 1);
    }

    [Fact]
    public void SummaryTableHasTheRealLayoutAndMatchesTheTabulatedVotes()
    {
        var real = File.ReadLines(SerNotebooks.Tests.Data.TestWav.CremaDMetadata(CremaDRaterVotes.SummaryTableFileName)).First();
        var lines = File.ReadAllLines(Path.Combine(Folder, CremaDRaterVotes.SummaryTableFileName));
        Assert.Equal(real, lines[0]);
        var votes = CremaDRaterVotes.ReadTabulated(Path.Combine(Folder, CremaDRaterVotes.TabulatedVotesFileName))
            .ToDictionary(v => (v.FileName, v.Modality));
        Assert.Equal(58, lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(',').Select(f => f.Trim('"')).ToArray();
            Assert.Equal(8, fields.Length);
            Assert.Equal(votes[(fields[1], RatingModality.Voice)].EmotionVote, fields[2]);
            Assert.Equal(votes[(fields[1], RatingModality.Face)].EmotionVote, fields[4]);
            Assert.Equal(votes[(fields[1], RatingModality.AudioVisual)].EmotionVote, fields[6]);
            Assert.Equal(fields[2].Split(':').Length, fields[3].Split(':').Length);
        }
    }

    [Fact]
    public void TabulatedHeaderIsTheRealFilesHeader()
    {
        using var reader = CremaDMetadataFile.OpenText(SerNotebooks.Tests.Data.TestWav.CremaDMetadata(CremaDRaterVotes.TabulatedVotesFileName));
        var real = reader.ReadLine();
        Assert.Equal(real, File.ReadLines(Path.Combine(Folder, CremaDRaterVotes.TabulatedVotesFileName)).First());
    }
}
