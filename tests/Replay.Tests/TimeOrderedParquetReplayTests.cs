using System.Buffers.Binary;
using ListeningTogether.Replay.Archive;
using ListeningTogether.Replay.Tests.Fixtures;

namespace ListeningTogether.Replay.Tests;

/// <summary>
/// Parquet plays in time order, as archives and most writers leave them: row groups' played_at statistics let
/// replay match a time bucket while later row groups are still read. The results must be those of any other row
/// order, also when a writer's statistics are wrong.
/// </summary>
[Collection(RealCityDatabaseCollection.Name)]
public sealed class TimeOrderedParquetReplayTests(RealCityDatabaseFixture database) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, int> EncodingsAndWorkers() => new()
    {
        { "millis-utc", 1 },
        { "micros-utc", 2 },
        { "nanos-local", 2 },
        { "int96", 2 },
    };

    [Theory]
    [MemberData(nameof(EncodingsAndWorkers))]
    public async Task GivenTheExamplePlaysInTimeOrderInManyRowGroups_WhenReplayed_ThenTheCoPlaysAndCountsAreTheExamples(string encoding, int workers)
    {
        string input = await ParquetPlays.WriteAsync(_temp.Combine("in", encoding + ".parquet"), InTimeOrder(ParquetPlays.Examples()), ParquetPlays.PlayedAtField(encoding), rowsPerGroup: 150);
        string output = _temp.Combine("out");

        await Replays.RunAsync([input], output, database.Cities, workers: workers);

        FileAssert.SameBytes(TestData.Example("expected.jsonl"), Path.Combine(output, "coplays.jsonl"));
        ExampleSummary.AssertCountsMatch(output);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(150_000)]
    public async Task GivenLittleOrNoMemoryForSpilledPlays_WhenTimeOrderedAndShuffledPlaysAreReplayed_ThenTheCoPlaysAreTheExamples(long spillMemoryBytes)
    {
        ParquetPlay[] shuffled = ParquetPlays.Examples();
        new Random(3).Shuffle(shuffled);
        string ordered = await ParquetPlays.WriteAsync(_temp.Combine("in", "ordered.parquet"), InTimeOrder(ParquetPlays.Examples()), ParquetPlays.PlayedAtField("millis-utc"), rowsPerGroup: 100);
        string mixed = await ParquetPlays.WriteAsync(_temp.Combine("in", "shuffled.parquet"), shuffled, ParquetPlays.PlayedAtField("millis-utc"), rowsPerGroup: 100);

        foreach (string input in new[] { ordered, mixed })
        {
            string output = _temp.Combine("out-" + Path.GetFileNameWithoutExtension(input));
            await new ReplayJob(Replays.Request([input], output, database.Cities) with { SpillMemoryBytes = spillMemoryBytes }).RunAsync();

            FileAssert.SameBytes(TestData.Example("expected.jsonl"), Path.Combine(output, "coplays.jsonl"));
            ExampleSummary.AssertCountsMatch(output);
        }
    }

    [Fact]
    public async Task GivenRowGroupsStatistics_WhenRead_ThenTheyGiveTheirPlayedAtRangeInMilliseconds()
    {
        ParquetPlay[] plays = InTimeOrder(ParquetPlays.Examples());
        string input = await ParquetPlays.WriteAsync(_temp.Combine("in", "millis.parquet"), plays, ParquetPlays.PlayedAtField("millis-utc"), rowsPerGroup: 1000);

        using ParquetPlayFile file = ParquetPlayFile.Open(input);

        for (int g = 0; g < 3; g++)
        {
            DateTime[] times = [.. plays.Skip(g * 1000).Take(1000).Where(p => p.PlayedAt is not null).Select(p => p.PlayedAt!.Value)];
            Assert.Equal((Millis(times.Min()), Millis(times.Max())), file.PlayedAtRange(g));
        }
    }

    [Fact]
    public void GivenMicrosecondStatisticsWrittenByDuckDb_WhenRead_ThenTheyGiveTheRowGroupsRangeInMilliseconds()
    {
        using ParquetPlayFile file = ParquetPlayFile.Open(TestData.Example("plays.parquet"));

        Assert.Equal((Millis(new DateTime(2026, 11, 26, 9, 0, 0, 2, DateTimeKind.Utc)), Millis(new DateTime(2026, 11, 26, 9, 0, 59, 987, DateTimeKind.Utc))), file.PlayedAtRange(0));
        Assert.Equal((Millis(new DateTime(2026, 11, 26, 9, 0, 0, 26, DateTimeKind.Utc)), Millis(new DateTime(2026, 11, 26, 9, 0, 59, 885, DateTimeKind.Utc))), file.PlayedAtRange(1));
    }

    [Fact]
    public async Task GivenImpalaTimestamps_WhenTheirStatisticsAreAskedFor_ThenThereAreNone()
    {
        string input = await ParquetPlays.WriteAsync(_temp.Combine("in", "int96.parquet"), InTimeOrder(ParquetPlays.Examples()), ParquetPlays.PlayedAtField("int96"), rowsPerGroup: 1000);

        using ParquetPlayFile file = ParquetPlayFile.Open(input);

        Assert.Null(file.PlayedAtRange(0));
    }

    [Fact]
    public async Task GivenARowGroupWhoseStatisticsHideItsEarliestPlays_WhenReplayed_ThenTheResultsAndDeadLettersAreThoseOfTheTruth()
    {
        // The first half-minute's plays in one row group, the second's in another, and a few of the first
        // half-minute's plays moved into the second group, whose statistics then claim it starts half a minute later.
        ParquetPlay[] plays = InTimeOrder(ParquetPlays.Examples());
        DateTime half = new(2026, 11, 26, 9, 0, 30, DateTimeKind.Utc);
        ParquetPlay[] first = [.. plays.Where(p => p.PlayedAt is null || p.PlayedAt < half)];
        List<ParquetPlay> late = [.. plays.Where(p => p.PlayedAt >= half)];
        bool Moves(ParquetPlay play, int index) => play.PlayedAt is not null && index % 40 == 7;
        ParquetPlay[] moved = [.. first.Where(Moves)];
        ParquetPlay[] early = [.. first.Where((p, i) => !Moves(p, i))];
        late.InsertRange(0, moved);
        string honest = await ParquetPlays.WriteGroupsAsync(_temp.Combine("honest", "plays.parquet"), [early, late], ParquetPlays.PlayedAtField("millis-utc"));
        string lying = _temp.Combine("lying", "plays.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(lying)!);
        File.WriteAllBytes(lying, WithFooterValueReplaced(File.ReadAllBytes(honest), Millis(moved.Min(p => p.PlayedAt!.Value)), Millis(late.Skip(moved.Length).Min(p => p.PlayedAt!.Value))));
        using (ParquetPlayFile file = ParquetPlayFile.Open(lying))
        {
            Assert.Equal(Millis(late.Skip(moved.Length).Min(p => p.PlayedAt!.Value)), file.PlayedAtRange(1)!.Value.FromMs);
        }

        var honestDeadLetters = new CollectingDeadLetterSink();
        var lyingDeadLetters = new CollectingDeadLetterSink();

        await Replays.RunAsync([honest], _temp.Combine("out-honest"), database.Cities, honestDeadLetters, workers: 1);
        await Replays.RunAsync([lying], _temp.Combine("out-lying"), database.Cities, lyingDeadLetters, workers: 1);

        FileAssert.SameBytes(TestData.Example("expected.jsonl"), _temp.Combine("out-lying", "coplays.jsonl"));
        ExampleSummary.AssertCountsMatch(_temp.Combine("out-lying"));
        Assert.NotEmpty(lyingDeadLetters.Entries);
        Assert.Equal(
            honestDeadLetters.Entries.Select(d => (d.Reason, Path.GetFileName(d.Source))).Order(),
            lyingDeadLetters.Entries.Select(d => (d.Reason, Path.GetFileName(d.Source))).Order());
    }

    private static ParquetPlay[] InTimeOrder(ParquetPlay[] plays) =>
        [.. plays.OrderBy(p => p.PlayedAt ?? DateTime.MinValue).ThenBy(p => p.EventId, StringComparer.Ordinal)];

    private static long Millis(DateTime time) => new DateTimeOffset(time).ToUnixTimeMilliseconds();

    /// <summary>The file with every INT64 <paramref name="from"/> in its footer (the statistics) replaced by <paramref name="to"/>.</summary>
    private static byte[] WithFooterValueReplaced(byte[] file, long from, long to)
    {
        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        int start = file.Length - 8 - footerLength;
        Span<byte> pattern = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(pattern, from);
        int replaced = 0;
        for (int i = start; i + 8 <= file.Length - 8; i++)
        {
            if (file.AsSpan(i, 8).SequenceEqual(pattern))
            {
                BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(i), to);
                replaced++;
            }
        }

        Assert.True(replaced > 0, "the footer holds no statistics value to replace");
        return file;
    }
}
