using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Replay.Tests;

/// <summary>
/// The result Parquet file holds each co-play as written: strings go in as UTF-8 bytes, place names from a cache
/// by place instance, so missing and empty names, non-ASCII and very long ids, and places shared or not across
/// row groups must all come back exactly.
/// </summary>
public sealed class CoPlayParquetWriterTests : IDisposable
{
    private const long Nine = 1_795_683_600_000;

    private static readonly Location Osaka = new(1853909, "Osaka", "JP", 34.6937, 135.5022);
    private static readonly Location Lima = new(3936456, "Lima", "PE", -12.0432, -77.0282);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenNamesMissingEmptyNonAsciiAndAVeryLongTrackId_WhenWrittenAndReadBack_ThenEveryRowIsAsWritten()
    {
        Location nowhere = new(42, null, null, 1.5, 2.5);
        Location empty = new(43, "", "", -1.5, -2.5);
        Location sãoPaulo = new(3448439, "São Paulo", "BR", -23.5475, -46.6361);
        Location cityOnly = new(44, "Ōsaka-fu \U0001F600", null, 0, 0);
        CoPlay[] coPlays =
        [
            new(Nine, "spotify:track:a", 2, 2, Osaka, Lima, 15_466.5),
            new(Nine, "t:\uFF21", 3, 3, nowhere, empty, 100.25),
            new(Nine, "t:\U0001F600", 4, 4, sãoPaulo, cityOnly, 1e-7),
            new(Nine + 1000, new string('x', 40_000), 5, 9, empty, nowhere, double.MaxValue),
            new(Nine + 2000, "", 2, 2, cityOnly, Osaka, 123.456),
        ];

        Assert.Equal(coPlays, await WriteAndReadAsync(coPlays));
    }

    [Fact]
    public async Task GivenMoreRowsThanARowGroupAndMorePlacesThanTheCacheHolds_WhenWrittenAndReadBack_ThenEveryRowIsAsWritten()
    {
        // Places shared by many rows (as replay's are) and a new place instance for every row (as a merge's are).
        Location[] shared = [.. Enumerable.Range(0, 1000).Select(i => new Location(i, $"City {i}", i % 7 == 0 ? null : $"C{i % 50}", i * 0.01, -i * 0.01))];
        CoPlay[] coPlays =
        [
            .. Enumerable.Range(0, (CoPlayParquetWriter.RowGroupSize * 2) + 17).Select(i => new CoPlay(
                Nine + (i / 100 * 1000L),
                $"spotify:track:{i % 100:D4}",
                2 + (i % 5),
                2 + (i % 3),
                shared[i % shared.Length],
                new Location(100_000 + i, $"Ville {i}", "FR", 48.85, 2.35),
                i * 0.5)),
        ];

        Assert.Equal(coPlays, await WriteAndReadAsync(coPlays));
    }

    [Fact]
    public async Task GivenARowGroupReusedAfterAWriterThatNeverCompleted_WhenTheNextFileIsWritten_ThenItHoldsOnlyItsOwnRows()
    {
        var rows = new CoPlayRowGroup(CoPlayParquetWriter.RowGroupSize);
        CoPlay abandoned = new(Nine, "spotify:track:abandoned", 2, 2, Osaka, Lima, 15_466.5);
        CoPlay[] next = [new(Nine + 1000, "spotify:track:a", 3, 2, Lima, Osaka, 15_466.5), new(Nine + 1000, "spotify:track:b", 2, 2, Osaka, Lima, 15_466.5)];
        using (var failed = new MemoryStream())
        {
            CoPlayParquetWriter writer = await CoPlayParquetWriter.CreateAsync(failed, new Dictionary<string, string>(), rows, null, CancellationToken.None);
            await using (writer)
            {
                await writer.WriteAsync([abandoned], CancellationToken.None);
            }
        }

        string path = _temp.Combine("next.parquet");
        using (var file = new FileStream(path, FileMode.Create))
        {
            CoPlayParquetWriter writer = await CoPlayParquetWriter.CreateAsync(file, new Dictionary<string, string>(), rows, null, CancellationToken.None);
            await using (writer)
            {
                await writer.WriteAsync(next, CancellationToken.None);
                await writer.CompleteAsync(CancellationToken.None);
            }
        }

        Assert.Equal(next, await CoPlayParquetReader.ReadAsync(path, CancellationToken.None));
    }

    private async Task<IReadOnlyList<CoPlay>> WriteAndReadAsync(CoPlay[] coPlays)
    {
        string path = _temp.Combine("coplays.parquet");
        using (var file = new FileStream(path, FileMode.Create))
        {
            CoPlayParquetWriter writer = await CoPlayParquetWriter.CreateAsync(file, new Dictionary<string, string>(), CancellationToken.None);
            await using (writer)
            {
                // In several calls, as replay hands over bucket by bucket.
                foreach (CoPlay[] part in coPlays.Chunk(7_919))
                {
                    await writer.WriteAsync(part, CancellationToken.None);
                }

                await writer.CompleteAsync(CancellationToken.None);
            }
        }

        return await CoPlayParquetReader.ReadAsync(path, CancellationToken.None);
    }
}
