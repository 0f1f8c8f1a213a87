using SerNotebooks.Data;
using SerNotebooks.Data.CremaD;
using static SerNotebooks.Tests.Data.TestWav;

namespace SerNotebooks.Tests.Data;

/// <summary>CREMA-D's rater votes per clip: the real tables the repository ships, bad rows, and <c>prepare crema-d</c>'s columns.</summary>
public class CremaDPerceptionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static CremaDPerception Real() => CremaDPerception.Load(
        CremaDMetadata(CremaDRaterVotes.TabulatedVotesFileName), CremaDMetadata(CremaDRaterVotes.SummaryTableFileName));

    [Fact]
    public void RealTablesGiveEveryClipThreeDistributionsThatSumToTheirResponseCounts()
    {
        var perception = Real();

        // SOURCE.md: 22,326 rows, 7,442 clips; every row consistent with summaryTable.csv, so nothing is left out.
        Assert.Equal(22_326, perception.RowsRead);
        Assert.Equal(7_442, perception.Clips.Count);
        Assert.Empty(perception.Problems);
        Assert.Empty(perception.MissingFor(CremaDCorpus.ReadSentenceFilenames(CremaDMetadata(CremaDCorpus.SentenceFileName))));
        var rows = CremaDRaterVotes.ReadTabulated(CremaDMetadata(CremaDRaterVotes.TabulatedVotesFileName));
        foreach (var row in rows)
        {
            var votes = perception.Clips[row.FileName].Votes[row.Modality];
            Assert.Equal(row.Counts, votes.Counts);
            Assert.Equal(row.Responses, votes.Total);
            Assert.Equal(1.0, votes.Distribution(RaterVoteCounts.Emotions)!.Sum(), 12);
        }
        // The first row of the file: 1001_IEO_NEU_XX heard as neutral by 10 of 11 raters, happy by one.
        var first = perception.Clips["1001_IEO_NEU_XX"].Votes[RatingModality.Voice];
        Assert.Equal("0:0:0:1:10:0", first.Format());
        Assert.Equal("neutral", first.PerceivedLabel);
        Assert.Contains(perception.Clips.Values, c => c.Votes.Values.Any(v => v.UniqueMajority is null && v.PerceivedLabel.Contains(':')));
    }

    [Fact]
    public void BadRowsAreReportedWithFileLineAndClipAndLeftOutNeverRepaired()
    {
        const string header = "\"\",\"A\",\"D\",\"F\",\"H\",\"N\",\"S\",\"fileName\",\"numResponses\",\"agreement\",\"emoVote\"\n";
        var tabulated = _folder.File("processedResults/tabulatedVotes.csv", System.Text.Encoding.UTF8.GetBytes(header +
            "\"100001\",0,0,0,1,10,0,\"1001_IEO_NEU_XX\",11,0.909,\"N\"\n" +           // line 2: good
            "\"300001\",0,0,0,5,5,0,\"1001_IEO_NEU_XX\",10,0.5,\"H:N\"\n" +            // line 3: good, a tie
            "\"100002\",0,0,0,3,x,0,\"1001_IEO_HAP_LO\",9,0.6,\"N\"\n" +              // line 4: N is not a number
            "\"100003\",0,0,0,4,7,0,\"1001_IEO_HAP_MD\",11,0.63,\"N\"\n" +             // line 5: first of two voice rows
            "\"100004\",0,0,0,4,7,0,\"1001_IEO_HAP_MD\",11,0.63,\"N\"\n" +             // line 6: the second
            "\"200003\",0,0,0,7,4,0,\"1001_IEO_HAP_MD\",11,0.63,\"N\"\n" +             // line 7: emoVote is not the majority
            "\"200001\",0,0,0,2,8,0,\"1001_IEO_NEU_XX\",10,0.8,\"N\"\n"));             // line 8: disagrees with the summary
        var summary = _folder.File("processedResults/summaryTable.csv", System.Text.Encoding.UTF8.GetBytes(
            "\"\",\"FileName\",\"VoiceVote\",\"VoiceLevel\",\"FaceVote\",\"FaceLevel\",\"MultiModalVote\",\"MultiModalLevel\"\n" +
            "\"1\",\"1001_IEO_NEU_XX\",\"N\",\"69.1\",\"H\",\"92.22\",\"H:N\",\"64.78\"\n"));

        var perception = CremaDPerception.Find(_folder.Path)!;

        Assert.Equal(tabulated, perception.TabulatedPath);
        Assert.Equal(summary, perception.SummaryPath);
        Assert.Equal(["1001_IEO_NEU_XX"], perception.Clips.Keys);
        Assert.Equal([RatingModality.Voice, RatingModality.AudioVisual], perception.Clips["1001_IEO_NEU_XX"].Votes.Keys);
        Assert.Equal("happiness:neutral", perception.Clips["1001_IEO_NEU_XX"].Votes[RatingModality.AudioVisual].PerceivedLabel);
        var problems = perception.Problems.Select(p => (Path.GetFileName(p.File), p.Line, p.Clip)).ToArray();
        Assert.Equal(
        [
            ("summaryTable.csv", 2, "1001_IEO_NEU_XX"),
            ("tabulatedVotes.csv", 4, "1001_IEO_HAP_LO"),
            ("tabulatedVotes.csv", 6, "1001_IEO_HAP_MD"),
            ("tabulatedVotes.csv", 7, "1001_IEO_HAP_MD"),
        ], problems);
        Assert.Contains("N 'x' is not a non-negative integer", perception.Problems[1].Reason);
        Assert.Contains("lines 5, 6", perception.Problems[2].Reason);
        Assert.Contains("emoVote 'N' is not the majority", perception.Problems[3].Reason);
        Assert.Contains("FaceVote 'H' disagrees", perception.Problems[0].Reason);

        // Clips of a corpus without votes are reported once per modality; already reported ones are not repeated.
        // (1001_IEO_NEU_XX's face-only votes were reported above; 1002_DFA_ANG_XX has no row at all.)
        var missing = perception.MissingFor(["1001_IEO_NEU_XX", "1001_IEO_HAP_MD", "1002_DFA_ANG_XX"]).Select(p => p.Reason).ToArray();
        Assert.Equal(
        [
            "clip 1001_IEO_HAP_MD: no audiovisual row",
            "clip 1002_DFA_ANG_XX: no voice-only row",
            "clip 1002_DFA_ANG_XX: no face-only row",
            "clip 1002_DFA_ANG_XX: no audiovisual row",
        ], missing);
    }

    [Fact]
    public void PrepareWritesVoteAndPerceivedColumnsFromACheckoutsProcessedResults()
    {
        string[] clips = ["1001_IEO_HAP_LO", "1001_IEO_NEU_XX", "1002_DFA_ANG_XX"];
        foreach (var clip in clips)
        {
            _folder.File($"AudioWAV/{clip}.wav", Encode(Sine(220, 0.3, 16_000, 1.5), 16_000, Kind.Pcm, 16));
        }
        // The real tables, as a checkout has them (tabulatedVotes.csv compressed, which the reader accepts too).
        var results = Directory.CreateDirectory(Path.Combine(_folder.Path, CremaDCorpus.ProcessedResultsFolder)).FullName;
        foreach (var file in new[] { CremaDRaterVotes.TabulatedVotesFileName + CremaDMetadataFile.GzipExtension, CremaDRaterVotes.SummaryTableFileName })
        {
            File.Copy(CremaDMetadata(file), Path.Combine(results, file));
        }
        var output = Path.Combine(_folder.Path, "out");

        var (exit, text) = CliHarness.Prepare("crema-d", "--root", _folder.Path, "--out", output);

        Assert.True(exit == 0, text);
        Assert.Contains("rater votes:", text);
        Assert.Contains("(3 of 3 clips); 0 problems", text);
        var manifest = Manifest.Load(output);
        var real = Real();
        foreach (var entry in manifest.Entries)
        {
            foreach (var (modality, suffix) in CremaDPerception.ColumnSuffix)
            {
                var votes = real.Clips[entry.Id].Votes[modality];
                Assert.Equal(votes.Format(), entry.Extras["votes_" + suffix]);
                Assert.Equal(votes.PerceivedLabel, entry.Extras["perceived_" + suffix]);
            }
        }
        // 1001_IEO_HAP_LO: intended happy, but heard as neutral (summaryTable.csv's VoiceVote N; 3 H and 6 N votes).
        var hapLo = manifest.Entries.Single(e => e.Id == "1001_IEO_HAP_LO");
        Assert.Equal(("happiness", "0:0:0:3:6:0", "neutral"), (hapLo.Emotion, hapLo.Extras["votes_voice"], hapLo.Extras["perceived_voice"]));
        Assert.Equal(["file,line,clip,reason"], File.ReadAllLines(Path.Combine(output, RaterVoteProblem.ReportFileName)));
    }

    [Fact]
    public void VoteCountsRoundTripAndMalformedTextIsRefused()
    {
        var votes = RaterVoteCounts.TryParse("1:0:2:0:2:0", out _)!;
        Assert.Equal("fear:neutral", votes.PerceivedLabel);
        Assert.Null(votes.UniqueMajority);
        Assert.Equal([0.4, 0.2], votes.Distribution(["neutral", "anger"])!);
        Assert.Null(RaterVoteCounts.TryParse("1:0:2:0:2", out var problem));
        Assert.Contains("has 5 counts", problem);
        Assert.Null(RaterVoteCounts.TryParse("1:0:2:0:2:-1", out problem));
        Assert.Contains("not 6 vote counts", problem);
        Assert.Null(new RaterVoteCounts([0, 0, 0, 0, 0, 0]).Distribution(RaterVoteCounts.Emotions));
    }
}
