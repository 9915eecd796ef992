using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using static ListeningTogether.Pipeline.Tests.Fixtures.Places;

namespace ListeningTogether.Pipeline.Tests.Matching;

/// <summary>DESIGN.md's distance: haversine on a sphere of radius 6371.0088 km, with asin's argument clamped to 1.</summary>
public class HaversineTests
{
    private static double Km(Location a, Location b) => Haversine.DistanceKm(a.Lat, a.Lon, b.Lat, b.Lon);

    [Fact]
    public void GivenTheSamePoint_WhenMeasured_ThenTheDistanceIsZero()
    {
        Assert.Equal(0, Km(Osaka, Osaka));
    }

    [Fact]
    public void GivenAntipodesOnTheEquator_WhenMeasured_ThenTheDistanceIsHalfTheCircumference()
    {
        Assert.Equal(Math.PI * 6371.0088, Haversine.DistanceKm(0, 0, 0, 180));
        Assert.Equal(Math.PI * 6371.0088, Haversine.DistanceKm(90, 0, -90, 0));
    }

    [Theory]
    [InlineData(45, 0, -45, 180)]
    [InlineData(34.6937, 135.5022, -34.6937, -44.4978)]
    [InlineData(-12.0432, -77.0282, 12.0432, 102.9718)]
    [InlineData(89.9999999, 10, -89.9999999, -170)]
    [InlineData(0.1, 0.1, -0.1, -179.9)]
    public void GivenNearlyAntipodalPoints_WhenMeasured_ThenTheDistanceIsNeverNaNNorAboveHalfTheCircumference(double latA, double lonA, double latB, double lonB)
    {
        double d = Haversine.DistanceKm(latA, lonA, latB, lonB);

        Assert.False(double.IsNaN(d));
        Assert.InRange(d, 20015.0, Math.PI * 6371.0088);
    }

    [Fact]
    public void GivenOneDegreeAlongAMeridian_WhenMeasured_ThenItIsRTimesPiOver180()
    {
        Assert.Equal(6371.0088 * Math.PI / 180, Haversine.DistanceKm(0, 0, 1, 0), 12);
        Assert.Equal(111.1950802335329, Haversine.DistanceKm(10, 20, 11, 20), 9);
    }

    [Theory]
    [InlineData(34.6937, 135.5022, -12.0432, -77.0282, 15880.568708446039)] // Osaka-Lima
    [InlineData(51.50853, -0.12574, 48.85341, 2.3488, 343.7713616108324)]  // London-Paris
    [InlineData(51.50853, -0.12574, 51.45625, -0.97113, 58.828575900415856)] // London-Reading
    [InlineData(-36.84853, 174.76349, 40.4165, -3.70256, 19596.61784397411)] // Auckland-Madrid
    public void GivenTwoCities_WhenMeasured_ThenTheDistanceIsTheFormulasInDoublePrecision(double latA, double lonA, double latB, double lonB, double km)
    {
        Assert.Equal(km, Haversine.DistanceKm(latA, lonA, latB, lonB), 9);
    }

    [Fact]
    public void GivenTwoCities_WhenMeasuredBothWays_ThenTheDistancesAreBitIdentical()
    {
        Location[] cities = [Osaka, Lima, London, Reading, Paris, Tokyo, Sydney, Auckland, Madrid, Linkoping];

        foreach (Location a in cities)
        {
            foreach (Location b in cities)
            {
                Assert.Equal(Km(a, b), Km(b, a));
            }
        }
    }

    [Fact]
    public void GivenPrecomputedPoints_WhenMeasured_ThenTheDistanceEqualsTheDegreesForm()
    {
        var osaka = new GeoPoint(Osaka);
        var lima = new GeoPoint(Lima);

        Assert.Equal(Km(Osaka, Lima), osaka.DistanceKm(lima));
    }
}
