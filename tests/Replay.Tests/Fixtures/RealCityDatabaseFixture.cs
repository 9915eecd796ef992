using ListeningTogether.Pipeline.Geo;

namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>The real GeoLite2 City database, opened once for every test that replays the shared examples.</summary>
public sealed class RealCityDatabaseFixture : IDisposable
{
    private readonly Lazy<CityDatabase> _cities = new(() => CityDatabase.Open(TestData.RealCityDb));

    /// <summary>Opened on first use, so a missing database fails the tests that need it with "run scripts/setup.sh".</summary>
    public CityDatabase Cities => _cities.Value;

    public void Dispose()
    {
        if (_cities.IsValueCreated)
        {
            _cities.Value.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RealCityDatabaseCollection : ICollectionFixture<RealCityDatabaseFixture>
{
    public const string Name = "Real City database";
}
