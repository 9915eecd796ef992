using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Tests.Fixtures;

namespace ListeningTogether.Pipeline.Tests.Geo;

/// <summary>The City database's dense place ids, by which replay's output finds each place's text.</summary>
public class CityDatabasePlaceIdTests
{
    public static TheoryData<string> Databases => new() { TestData.CityTest, TestData.LiteCityTest };

    [Theory]
    [MemberData(nameof(Databases))]
    public void GivenEveryRecordOfATestDatabase_WhenResolved_ThenEqualPlacesShareOnePointAndDistinctPlacesHaveDistinctDenseIds(string path)
    {
        using CityDatabase cities = CityDatabase.Open(path);

        List<GeoPoint> points = [.. cities.SampleRecords(100_000).Select(s => cities.Resolve(s.Offset).Point).OfType<GeoPoint>()];

        var byPlace = new Dictionary<Location, GeoPoint>();
        foreach (GeoPoint point in points)
        {
            if (byPlace.TryGetValue(point.Location, out GeoPoint? seen))
            {
                Assert.Same(seen, point);
            }
            else
            {
                byPlace.Add(point.Location, point);
            }
        }

        // Some records of these databases share a place, so sharing is exercised, not just assumed.
        Assert.True(points.Count > byPlace.Count, $"{points.Count} records with a place, {byPlace.Count} distinct places");
        Assert.Equal(Enumerable.Range(0, byPlace.Count), byPlace.Values.Select(p => p.PlaceId).Order());
        Assert.All(byPlace.Values, p => Assert.Same(p, cities.PlaceById(p.PlaceId)));
    }

    [Fact]
    public void GivenAPointMadeOutsideACityDatabase_WhenAskedForItsPlaceId_ThenItHasNone()
    {
        var point = new GeoPoint(new Location(2643743, "London", "GB", 51.5142, -0.0931));

        Assert.Equal(-1, point.PlaceId);
    }

    [Fact]
    public void GivenARecordMadeFromALocation_WhenItsPointIsRead_ThenThePointHasThatLocationAndNoPlaceId()
    {
        var location = new Location(2643743, "London", "GB", 51.5142, -0.0931);

        var geo = new CityGeo(location, 10);

        Assert.Same(location, geo.Location);
        Assert.Same(location, geo.Point!.Location);
        Assert.Equal(-1, geo.Point.PlaceId);
        Assert.Equal(10, geo.AccuracyRadiusKm);
    }
}
