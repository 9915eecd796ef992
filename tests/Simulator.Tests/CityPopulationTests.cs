namespace ListeningTogether.Simulator.Tests;

public sealed class CityPopulationTests
{
    [Fact]
    public void GivenTheGeoNamesList_WhenLoaded_ThenItHasTheWorldsCitiesWithPopulationsAndCoordinates()
    {
        var cities = CityPopulation.Load(TestData.CitiesPbf);

        Assert.True(cities.Count > 100_000, $"{cities.Count} cities");
        Assert.Equal(cities.Count, cities.Select(c => c.GeonameId).Distinct().Count());
        var shanghai = Assert.Single(cities, c => c.GeonameId == 1796236);
        Assert.Equal(("Shanghai", "CN"), (shanghai.Name, shanghai.Country));
        Assert.True(shanghai.Population > 10_000_000);
        Assert.InRange(shanghai.Lat, 31.0, 31.5);
        Assert.InRange(shanghai.Lon, 121.2, 121.7);
        var lima = Assert.Single(cities, c => c.GeonameId == 3936456);
        Assert.Equal("PE", lima.Country);
        Assert.InRange(lima.Lat, -12.2, -11.9);
        Assert.InRange(lima.Lon, -77.2, -76.9);
        Assert.All(cities, c => Assert.True(c.Lat is >= -90 and <= 90 && c.Lon is >= -180 and <= 180, $"{c}"));
    }

    [Fact]
    public void GivenATruncatedList_WhenParsed_ThenItFailsClearly()
    {
        byte[] pbf = File.ReadAllBytes(TestData.CitiesPbf)[..1000];
        var error = Assert.Throws<InvalidDataException>(() => CityPopulation.Parse(pbf));
        Assert.Contains("protobuf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAMissingFile_WhenLoaded_ThenTheErrorSaysHowToGetIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => CityPopulation.Load("/nonexistent/cities.pbf"));
        Assert.Equal("The GeoNames city list '/nonexistent/cities.pbf' does not exist; run scripts/setup.sh or set Simulator:CitiesPath.", error.Message);
    }
}
