using ListeningTogether.Replay.Report;

namespace ListeningTogether.Replay.Tests.Report;

/// <summary>Great-circle arcs for the report's equirectangular map.</summary>
public sealed class GreatCircleTests
{
    [Fact]
    public void GivenLondonAndLinkoping_WhenDrawn_ThenOnePolylineRunsFromOneToTheOther()
    {
        var arc = GreatCircle.Arc(51.5142, -0.0931, 58.4167, 15.6167);

        var line = Assert.Single(arc);
        Assert.Equal(49, line.Count);
        Assert.Equal(-0.0931, line[0].Lon, 9);
        Assert.Equal(51.5142, line[0].Lat, 9);
        Assert.Equal(15.6167, line[^1].Lon, 9);
        Assert.Equal(58.4167, line[^1].Lat, 9);
    }

    [Fact]
    public void GivenTokyoAndLosAngeles_WhenDrawn_ThenTheArcIsCutAtTheAntimeridianAtOneLatitude()
    {
        var arc = GreatCircle.Arc(35.6895, 139.6917, 34.0522, -118.2437);

        Assert.Equal(2, arc.Count);
        Assert.Equal(180, arc[0][^1].Lon);
        Assert.Equal(-180, arc[1][0].Lon);
        Assert.Equal(arc[0][^1].Lat, arc[1][0].Lat);
        Assert.True(arc[0][^1].Lat > 45, "the great circle bows towards the pole");
        Assert.All(arc[0], p => Assert.InRange(p.Lon, 139, 180));
        Assert.All(arc[1], p => Assert.InRange(p.Lon, -180, -118));
    }

    [Fact]
    public void GivenTwoPlaces_WhenTheMidpointIsTaken_ThenItIsEquallyFarFromBoth()
    {
        (double lon, double lat) = GreatCircle.Midpoint(35.6895, 139.6917, 34.0522, -118.2437);

        Assert.Equal(Haversine(lat, lon, 35.6895, 139.6917), Haversine(lat, lon, 34.0522, -118.2437), 6);
    }

    private static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        double p1 = lat1 * Math.PI / 180, p2 = lat2 * Math.PI / 180;
        double h = Math.Pow(Math.Sin((p2 - p1) / 2), 2) + (Math.Cos(p1) * Math.Cos(p2) * Math.Pow(Math.Sin((lon2 - lon1) * Math.PI / 360), 2));
        return 2 * 6371.0088 * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
