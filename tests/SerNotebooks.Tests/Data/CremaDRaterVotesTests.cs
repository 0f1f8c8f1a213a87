using System.Globalization;
using System.IO.Compression;
using CsvHelper;
using SerNotebooks.Data;
using SerNotebooks.Data.CremaD;

namespace SerNotebooks.Tests.Data;

public class CremaDRaterVotesTests
{
    [Fact]
    public void ShippedTabulatedVotesAreReadCompressedWithOneRowPerClipAndModality()
    {
        var path = TestWav.CremaDMetadata(CremaDRaterVotes.TabulatedVotesFileName);
        Assert.False(File.Exists(path), "the repository ships tabulatedVotes.csv gzip-compressed only");
        Assert.True(File.Exists(path + CremaDMetadataFile.GzipExtension), path + ".gz");

        var votes = CremaDRaterVotes.ReadTabulated(path);

        Assert.Equal(22_326, votes.Count);
        var clips = CremaDCorpus.ReadSentenceFilenames(TestWav.CremaDMetadata(CremaDCorpus.SentenceFileName)).ToHashSet();
        foreach (var modality in Enum.GetValues<RatingModality>())
        {
            var rows = votes.Where(v => v.Modality == modality).ToList();
            Assert.Equal(7_442, rows.Count);
            Assert.True(clips.SetEquals(rows.Select(v => v.FileName)), $"{modality} rows cover exactly the clip list");
        }
        Assert.All(votes, v => Assert.Equal(v.Responses, v.Counts.Sum()));
        Assert.Contains(votes, v => v.EmotionVote.Contains(':', StringComparison.Ordinal)); // ties are kept as written
    }

    [Fact]
    public void EachModalityDigitMatchesTheSummaryTableColumnOfTheSameModality()
    {
        var votes = CremaDRaterVotes.ReadTabulated(TestWav.CremaDMetadata(CremaDRaterVotes.TabulatedVotesFileName));
        var summary = new Dictionary<string, (string Voice, string Face, string AudioVisual)>(StringComparer.Ordinal);
        using (var reader = CremaDMetadataFile.OpenText(TestWav.CremaDMetadata(CremaDRaterVotes.SummaryTableFileName)))
        using (var csv = new CsvReader(reader, CultureInfo.InvariantCulture))
        {
            csv.Read();
            csv.ReadHeader();
            while (csv.Read())
            {
                summary[csv.GetField("FileName")!] = (csv.GetField("VoiceVote")!, csv.GetField("FaceVote")!, csv.GetField("MultiModalVote")!);
            }
        }

        Assert.Equal(7_442, summary.Count);
        Assert.All(votes, v => Assert.Equal(
            v.Modality switch
            {
                RatingModality.Voice => summary[v.FileName].Voice,
                RatingModality.Face => summary[v.FileName].Face,
                _ => summary[v.FileName].AudioVisual,
            },
            v.EmotionVote));
    }

    [Fact]
    public void PlainAndCompressedCopiesReadTheSameAndABadRowNamesFileAndLine()
    {
        using var folder = new TestWav.TempFolder();
        var plain = Path.Combine(folder.Path, CremaDRaterVotes.TabulatedVotesFileName);
        const string header = "\"\",\"A\",\"D\",\"F\",\"H\",\"N\",\"S\",\"fileName\",\"numResponses\",\"agreement\",\"emoVote\"\n";
        File.WriteAllText(plain, header + "\"100001\",0,0,0,1,10,0,\"1001_IEO_NEU_XX\",11,0.909,\"N\"\n\"200001\",0,0,0,5,5,0,\"1001_IEO_NEU_XX\",10,0.5,\"H:N\"\n");
        var compressed = Path.Combine(folder.Path, "copy", CremaDRaterVotes.TabulatedVotesFileName + CremaDMetadataFile.GzipExtension);
        Directory.CreateDirectory(Path.GetDirectoryName(compressed)!);
        using (var output = new GZipStream(File.Create(compressed), CompressionLevel.Optimal))
        {
            output.Write(File.ReadAllBytes(plain));
        }

        var fromPlain = CremaDRaterVotes.ReadTabulated(plain);
        var fromCompressed = CremaDRaterVotes.ReadTabulated(Path.Combine(folder.Path, "copy", CremaDRaterVotes.TabulatedVotesFileName));
        Assert.Equal(fromPlain.Select(v => (v.FileName, v.Modality, v.EmotionVote, v.Responses)), fromCompressed.Select(v => (v.FileName, v.Modality, v.EmotionVote, v.Responses)));
        Assert.Equal([RatingModality.Voice, RatingModality.Face], fromPlain.Select(v => v.Modality));

        File.AppendAllText(plain, "\"100002\",0,0,0,3,6,0,\"1001_IEO_HAP_LO\",10,0.6,\"N\"\n");
        var error = Assert.Throws<ManifestFormatException>(() => CremaDRaterVotes.ReadTabulated(plain));
        Assert.Equal(plain, error.FilePath);
        Assert.Equal(4, error.Line);
        Assert.Contains("numResponses says 10", error.Message);

        var missing = Assert.Throws<FileNotFoundException>(() => CremaDRaterVotes.ReadTabulated(Path.Combine(folder.Path, "none.csv")));
        Assert.Contains("none.csv.gz", missing.Message);
    }
}
