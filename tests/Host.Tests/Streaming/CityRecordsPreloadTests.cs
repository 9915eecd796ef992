using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Host.Tests.Streaming;

/// <summary>The streaming host decodes every City record in the background, once its first seconds are over.</summary>
public sealed class CityRecordsPreloadTests
{
    [Fact]
    public async Task GivenTheStreamingHostStarting_WhenThePreloadHasRun_ThenEveryRecordOfTheCityDatabaseIsDecoded()
    {
        using GeoDatabases databases = GeoDatabases.Open(new GeoOptions { CityDb = TestData.RealCityDb });
        int atOpen = databases.Cities.DecodedRecords;
        var clock = new FakeTimeProvider();
        using var preload = new CityRecordsPreload(databases, clock, NullLogger<CityRecordsPreload>.Instance);

        await preload.StartAsync(CancellationToken.None);
        Assert.Equal(atOpen, databases.Cities.DecodedRecords);
        // The host runs ExecuteAsync on a thread of its own: advance until its wait has begun and ended.
        DateTime giveUp = DateTime.UtcNow.AddSeconds(60);
        while (!preload.ExecuteTask!.IsCompleted && DateTime.UtcNow < giveUp)
        {
            clock.Advance(CityRecordsPreload.StartAfter);
            await Task.WhenAny(preload.ExecuteTask, Task.Delay(50));
        }

        await preload.ExecuteTask.WaitAsync(TimeSpan.FromSeconds(1));

        int decoded = databases.Cities.DecodedRecords;
        Assert.True(decoded > 10 * atOpen, $"{decoded} records after the preload, {atOpen} at open");
        Assert.Equal(decoded, databases.Cities.DecodeAll());
    }
}
