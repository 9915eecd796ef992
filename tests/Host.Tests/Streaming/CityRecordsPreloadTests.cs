using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Host.Tests.Streaming;

/// <summary>The streaming host's start decodes every City record in the background.</summary>
public sealed class CityRecordsPreloadTests
{
    [Fact]
    public async Task GivenTheStreamingHostStarting_WhenThePreloadHasRun_ThenEveryRecordOfTheCityDatabaseIsDecoded()
    {
        using GeoDatabases databases = GeoDatabases.Open(new GeoOptions { CityDb = TestData.RealCityDb });
        int atOpen = databases.Cities.DecodedRecords;
        using var preload = new CityRecordsPreload(databases, NullLogger<CityRecordsPreload>.Instance);

        await preload.StartAsync(CancellationToken.None);
        await preload.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60));

        int decoded = databases.Cities.DecodedRecords;
        Assert.True(decoded > 10 * atOpen, $"{decoded} records after the preload, {atOpen} at open");
        Assert.Equal(decoded, databases.Cities.DecodeAll());
    }
}
