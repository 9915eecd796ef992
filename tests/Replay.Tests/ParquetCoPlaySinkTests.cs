using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Replay.Output.Sinks;
using Microsoft.Extensions.Logging.Abstractions;
using Parquet;

namespace ListeningTogether.Replay.Tests;

/// <summary>
/// DESIGN.md "Delivery": the Results:ParquetDir sink is idempotent on (windowStart, trackId), also across restarts;
/// its minute files have the result columns, order and metadata of replay's coplays.parquet.
/// </summary>
public sealed class ParquetCoPlaySinkTests : IDisposable
{
    /// <summary>2026-11-26T14:59:58Z.</summary>
    private const long Before15 = 1_795_705_198_000;

    private static readonly Location Lima = new(3936456, "Lima", "PE", -12.0432, -77.0282);
    private static readonly Location Osaka = new(1853909, "Osaka", "JP", 34.6937, 135.5022);
    private static readonly Location Nowhere = new(42, null, null, 1.5, 2.5);

    private static readonly IReadOnlyDictionary<string, string> Metadata = new Dictionary<string, string>
    {
        ["windowMs"] = "1000",
        ["minDistanceKm"] = "100",
        ["maxAccuracyRadiusKm"] = "250",
    };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CoPlay At(long windowStartMs, string trackId, long plays = 2) =>
        new(windowStartMs, trackId, plays, 2, Osaka, Lima, 15_466.5);

    private ParquetCoPlaySink NewSink() => new(_temp.Path, Metadata, NullLogger<ParquetCoPlaySink>.Instance);

    private string MinuteFile(string hour, string minute) => _temp.Combine("dt=2026-11-26", $"hour={hour}", $"coplays-20261126T{minute}.parquet");

    [Fact]
    public async Task GivenWindowsWithTracksOutOfOrder_WhenWritten_ThenTheMinuteFileHasThemSortedByWindowThenTrackUtf8WithTheMetadata()
    {
        // U+FF21 sorts before U+1F600 in UTF-8 but after its surrogates in UTF-16.
        CoPlay emoji = At(Before15, "t:\U0001F600"), fullWidth = At(Before15, "t:\uFF21") with { A = Nowhere }, plain = At(Before15, "t:b");
        CoPlay next = At(Before15 + 1000, "t:a");
        using (ParquetCoPlaySink sink = NewSink())
        {
            await sink.WriteAsync([emoji, fullWidth, plain], CancellationToken.None);
            await sink.WriteAsync([next], CancellationToken.None);
        }

        string path = MinuteFile("14", "1459");
        Assert.Equal([plain, fullWidth, emoji, next], await CoPlayParquetReader.ReadAsync(path, CancellationToken.None));
        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(Metadata, reader.CustomMetadata);
        Assert.Equal(CoPlayParquetWriterSchema(), reader.Schema.DataFields.Select(f => f.Name));
    }

    [Fact]
    public async Task GivenAWindowWrittenBeforeARestart_WhenANewSinkWritesItAgain_ThenEachKeyHasOneRowAndTheNewOneReplacesTheOld()
    {
        CoPlay first = At(Before15, "t:a", plays: 2), other = At(Before15, "t:b"), later = At(Before15 + 1000, "t:a");
        using (ParquetCoPlaySink sink = NewSink())
        {
            await sink.WriteAsync([first, other], CancellationToken.None);
            await sink.WriteAsync([later], CancellationToken.None);
        }

        CoPlay again = first with { Plays = 3 };
        using (ParquetCoPlaySink restarted = NewSink())
        {
            await restarted.WriteAsync([again], CancellationToken.None);
            await restarted.WriteAsync([again], CancellationToken.None);
        }

        Assert.Equal([again, other, later], await CoPlayParquetReader.ReadAsync(MinuteFile("14", "1459"), CancellationToken.None));
    }

    [Fact]
    public async Task GivenWindowsEitherSideOfAnHour_WhenWritten_ThenEachMinuteHasItsFileInItsHourPartition()
    {
        CoPlay last14 = At(Before15 + 1000, "t:a"), first15 = At(Before15 + 2000, "t:a"), second15 = At(Before15 + 62_000, "t:a");
        using (ParquetCoPlaySink sink = NewSink())
        {
            await sink.WriteAsync([last14], CancellationToken.None);
            await sink.WriteAsync([first15], CancellationToken.None);
            await sink.WriteAsync([second15], CancellationToken.None);

            // A window of a minute already left memory still merges with its file.
            await sink.WriteAsync([last14 with { TrackId = "t:b" }], CancellationToken.None);
        }

        Assert.Equal([last14, last14 with { TrackId = "t:b" }], await CoPlayParquetReader.ReadAsync(MinuteFile("14", "1459"), CancellationToken.None));
        Assert.Equal([first15], await CoPlayParquetReader.ReadAsync(MinuteFile("15", "1500"), CancellationToken.None));
        Assert.Equal([second15], await CoPlayParquetReader.ReadAsync(MinuteFile("15", "1501"), CancellationToken.None));
        Assert.Equal(3, Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task GivenATempFileLeftByACrash_WhenASinkStartsAndWrites_ThenNoTempFileRemainsAndReplaySeesOnlyMinuteFiles()
    {
        string leftover = _temp.Write(Path.Combine("dt=2026-11-26", "hour=14", "_coplays-20261126T1459.parquet.tmp"), "torn");
        using (ParquetCoPlaySink sink = NewSink())
        {
            Assert.False(File.Exists(leftover));
            await sink.WriteAsync([At(Before15, "t:a")], CancellationToken.None);
        }

        Assert.Equal([MinuteFile("14", "1459")], Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories));
        Assert.Equal([MinuteFile("14", "1459")], InputFiles.Expand([_temp.Path]));
    }

    [Fact]
    public async Task GivenAnUnreadableMinuteFile_WhenItsMinuteIsWritten_ThenItIsSetAsideUnderAHiddenNameAndTheNewRowsAreWritten()
    {
        string broken = _temp.Write(Path.Combine("dt=2026-11-26", "hour=14", "coplays-20261126T1459.parquet"), "not parquet");
        CoPlay coPlay = At(Before15, "t:a");
        using (ParquetCoPlaySink sink = NewSink())
        {
            await sink.WriteAsync([coPlay], CancellationToken.None);
        }

        Assert.Equal([coPlay], await CoPlayParquetReader.ReadAsync(broken, CancellationToken.None));
        string aside = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(broken)!, "_coplays-20261126T1459.parquet.unreadable-*"));
        Assert.Equal("not parquet", File.ReadAllText(aside));
    }

    private static string[] CoPlayParquetWriterSchema() =>
    [
        "window_start", "track_id", "plays", "locations",
        "a_geoname_id", "a_city", "a_country", "a_lat", "a_lon",
        "b_geoname_id", "b_city", "b_country", "b_lat", "b_lon",
        "distance_km",
    ];
}
