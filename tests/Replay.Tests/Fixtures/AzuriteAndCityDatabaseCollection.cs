using ListeningTogether.Tests.Shared;

namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>Replays of Blob inputs: a real Azurite and the real GeoLite2 City database, each started or opened once.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteAndCityDatabaseCollection : ICollectionFixture<AzuriteServer>, ICollectionFixture<RealCityDatabaseFixture>
{
    public const string Name = "Azurite and the real City database";
}
