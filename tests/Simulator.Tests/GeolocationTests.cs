using ListeningTogether.Abstractions.Options;
using MaxMind.Db;

namespace ListeningTogether.Simulator.Tests;

[Collection(RealWorldCollection.Name)]
public sealed class GeolocationTests(RealWorldFixture world)
{
    [Fact]
    public void GivenTheRealDatabase_WhenSimulating_ThenEveryPublicIpGeolocatesToTheCityTheSimulatorChose()
    {
        var plays = world.Simulator().Batch(50_000, RealWorldFixture.Start, TimeSpan.FromMinutes(30))
            .Where(p => p.Kind is SimulatedPlayKind.Clean or SimulatedPlayKind.PrivateSession)
            .ToList();

        Assert.True(plays.Count > 45_000, $"only {plays.Count} clean plays");
        foreach (var play in plays)
        {
            AssertGeolocatesTo(world.Reader, play);
        }

        Assert.InRange(plays.Count(p => p.Ip.Kind == SimulatedIpKind.IPv6) / (double)plays.Count, 0.2, 0.5);
        Assert.True(plays.Select(p => p.GeonameId).Distinct().Count() > 5_000, "plays come from many cities");
    }

    [Fact]
    public void GivenTheMaxMindTestDatabase_WhenSimulating_ThenEveryPublicIpGeolocatesToTheChosenCity()
    {
        var networks = CityNetworks.Load(TestData.TestCityDb);
        var cities = ListenerCities.Create(networks, CityPopulation.Load(TestData.CitiesPbf));
        var simulator = new PlaySimulator(cities, TrackCatalog.Generate(100, seed: 1), new SimulatorOptions());
        using var reader = new Reader(TestData.TestCityDb);

        var plays = simulator.Batch(5_000, RealWorldFixture.Start, TimeSpan.FromMinutes(1))
            .Where(p => p.Kind == SimulatedPlayKind.Clean)
            .ToList();

        Assert.Contains(plays, p => p.GeonameId == 2643743); // London
        foreach (var play in plays)
        {
            AssertGeolocatesTo(reader, play);
        }
    }

    private static void AssertGeolocatesTo(Reader reader, SimulatedPlay play)
    {
        var address = play.Ip.ToIPAddress();
        Assert.NotNull(address);
        var record = reader.Find<GeoRecord>(address);
        Assert.True(record?.GeonameId == play.GeonameId, $"{play.Ip} geolocates to {record?.GeonameId}, not {play.GeonameId}");
        Assert.NotNull(record!.Location?.Latitude);
        Assert.NotNull(record.Location?.Longitude);
        Assert.True(record.Location?.AccuracyRadius is null or <= 250, $"{play.Ip} has accuracy radius {record.Location?.AccuracyRadius}");
    }
}
