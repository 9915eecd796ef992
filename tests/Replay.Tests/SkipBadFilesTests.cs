using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Output.Summary;
using ListeningTogether.Replay.Tests.Fixtures;
using Parquet;
using Parquet.Schema;

namespace ListeningTogether.Replay.Tests;

/// <summary>
/// <c>--skip-bad-files</c>: a missing or unreadable input is listed with its reason and the run goes on with the
/// others; without it the same input stops the run naming it.
/// </summary>
[Collection(RealCityDatabaseCollection.Name)]
public sealed class SkipBadFilesTests(RealCityDatabaseFixture database) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenACorruptParquetFileAndAMissingInput_WhenReplayedSkippingBadFiles_ThenTheGoodPlaysGiveTheExampleResultsAndBothAreListed()
    {
        string corrupt = _temp.Write(Path.Combine("in", "broken.parquet"), "{\"eventId\":\"e1\"}\n");
        string missing = _temp.Combine("in", "missing.jsonl");
        string output = _temp.Combine("out");

        ReplaySummary summary = await Run([TestData.Example("plays.jsonl"), corrupt, missing], output);

        FileAssert.SameBytes(TestData.Example("expected.jsonl"), Path.Combine(output, "coplays.jsonl"));
        Assert.Equal(3000, summary.InputRecords);
        Assert.Equal([new InputFileSummary(TestData.Example("plays.jsonl"), 3000)], summary.Inputs);
        Assert.Equal(2, summary.SkippedFiles.Count);
        Assert.Equal(new SkippedFile(missing, $"Input '{missing}' does not exist."), summary.SkippedFiles[0]);
        Assert.Equal(corrupt, summary.SkippedFiles[1].File);
        Assert.StartsWith($"'{corrupt}' is not a readable Parquet play file: ", summary.SkippedFiles[1].Reason, StringComparison.Ordinal);

        var skipped = FileAssert.ReadJson(Path.Combine(output, "summary.json"))["skippedFiles"]!.AsArray();
        Assert.Equal([missing, corrupt], skipped.Select(s => (string)s!["file"]!));
        Assert.Equal(summary.SkippedFiles.Select(s => s.Reason), skipped.Select(s => (string)s!["reason"]!));
    }

    [Fact]
    public async Task GivenACorruptParquetFile_WhenReplayedWithoutSkipping_ThenItStillStopsTheRunNamingIt()
    {
        string corrupt = _temp.Write(Path.Combine("in", "broken.parquet"), "PAR1 but not really");

        var e = await Assert.ThrowsAsync<InputFileException>(() =>
            new ReplayJob(Replays.Request([TestData.Example("plays.jsonl"), corrupt], _temp.Combine("out"), database.Cities)).RunAsync());

        Assert.Equal(corrupt, e.FilePath);
    }

    [Fact]
    public async Task GivenAParquetFileWithAnUnreadableRowGroup_WhenReplayedSkippingBadFiles_ThenOnlyThatRowGroupIsLeftOutAndNamed()
    {
        ParquetPlay[] plays = ParquetPlays.Examples();
        string input = await ParquetPlays.WriteAsync(
            _temp.Combine("in", "plays.parquet"), plays, new DateTimeDataField("played_at", DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Millis, true), rowsPerGroup: 1000);
        await CorruptRowGroupAsync(input, rowGroup: 1);

        ReplaySummary summary = await Run([input], _temp.Combine("out"));

        SkippedFile skipped = Assert.Single(summary.SkippedFiles);
        Assert.Equal(input, skipped.File);
        Assert.StartsWith($"'{input}': row group 1 cannot be read: ", skipped.Reason, StringComparison.Ordinal);
        Assert.Equal(2000, summary.InputRecords);
        Assert.Equal([new InputFileSummary(input, 2000)], summary.Inputs);
    }

    [Fact]
    public async Task GivenOnlyBadInputs_WhenReplayedSkippingBadFiles_ThenTheOutputHoldsNoCoPlaysAndListsThemAll()
    {
        string missing = _temp.Combine("in", "missing.jsonl");
        string pattern = _temp.Combine("in", "*.parquet");

        ReplaySummary summary = await Run([missing, pattern], _temp.Combine("out"));

        Assert.Equal(0, summary.InputRecords);
        Assert.Equal([missing, pattern], summary.SkippedFiles.Select(s => s.File));
        Assert.Equal($"No play files match '{pattern}'.", summary.SkippedFiles[1].Reason);
        Assert.Equal("", File.ReadAllText(_temp.Combine("out", "coplays.jsonl")));
    }

    private Task<ReplaySummary> Run(IReadOnlyList<string> inputs, string output) =>
        new ReplayJob(Replays.Request(inputs, output, database.Cities) with { SkipBadFiles = true }).RunAsync();

    /// <summary>Overwrites the data pages of one row group's <c>event_id</c> column with bytes that are no page header.</summary>
    private static async Task CorruptRowGroupAsync(string path, int rowGroup)
    {
        long offset, length;
        using (FileStream read = File.OpenRead(path))
        {
            await using ParquetReader reader = await ParquetReader.CreateAsync(read);
            var chunk = reader.Metadata!.RowGroups[rowGroup].Columns[0].MetaData!;
            offset = chunk.DataPageOffset;
            length = chunk.TotalCompressedSize;
        }

        using FileStream write = File.OpenWrite(path);
        write.Position = offset;
        write.Write(Enumerable.Repeat((byte)0xFF, (int)length).ToArray());
    }
}
