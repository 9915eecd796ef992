using System.Globalization;
using BenchmarkDotNet.Attributes;
using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Bench;

/// <summary>
/// Reading a result Parquet file back into co-plays, as the Results:ParquetDir sink does with a minute's file it
/// has not in memory (a minute at 600 co-plays/s) and as a tool would with an hour's replay output.
/// </summary>
[MemoryDiagnoser]
public class CoPlayParquetReading
{
    private const long Hour = 1_795_701_600_000;

    private string _path = "";

    [Params(36_000, 1_000_000)]
    public int CoPlays { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var random = new Random(1);
        var coPlays = new CoPlay[CoPlays];
        for (int i = 0; i < coPlays.Length; i++)
        {
            var a = new Location(random.Next(1, 5_000_000), "Osaka", "JP", (random.NextDouble() * 180) - 90, (random.NextDouble() * 360) - 180);
            var b = new Location(a.GeonameId + random.Next(1, 1000), i % 10 == 0 ? null : "Lima", "PE", (random.NextDouble() * 180) - 90, (random.NextDouble() * 360) - 180);
            string track = "spotify:track:" + random.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
            coPlays[i] = new CoPlay(Hour + (i / 600 * 1000L), track, random.Next(2, 40), 2, a, b, random.NextDouble() * 20_000);
        }

        _path = Path.Combine(Path.GetTempPath(), $"lt-coplay-reading-{Guid.NewGuid():N}.parquet");
        await using var stream = new FileStream(_path, FileMode.CreateNew);
        await using CoPlayParquetWriter writer = await CoPlayParquetWriter.CreateAsync(stream, new Dictionary<string, string>(), CancellationToken.None);
        await writer.WriteAsync(coPlays, CancellationToken.None);
        await writer.CompleteAsync(CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark]
    public Task<List<CoPlay>> Read() => CoPlayParquetReader.ReadAsync(_path, CancellationToken.None);
}
