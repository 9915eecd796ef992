using ListeningTogether.Abstractions.Options;
using MaxMind.Db;

namespace ListeningTogether.Simulator.Tests;

/// <summary>The real GeoLite2 City database and GeoNames list, loaded once for all tests that use them.</summary>
public sealed class RealWorldFixture : IDisposable
{
    public RealWorldFixture()
    {
        Cities = ListenerCities.Load(TestData.RealCityDb, TestData.CitiesPbf);
        Reader = new Reader(TestData.RealCityDb, FileAccessMode.Memory);
        Catalog = TrackCatalog.Generate(new SimulatorOptions().CatalogSize, seed: 1);
    }

    public ListenerCities Cities { get; }

    public Reader Reader { get; }

    public TrackCatalog Catalog { get; }

    public static DateTimeOffset Start { get; } = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    public PlaySimulator Simulator(SimulatorOptions? options = null) => new(Cities, Catalog, options ?? new SimulatorOptions());

    public void Dispose() => Reader.Dispose();
}

[CollectionDefinition(Name)]
public sealed class RealWorldCollection : ICollectionFixture<RealWorldFixture>
{
    public const string Name = "real City database";
}
