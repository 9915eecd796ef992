using ListeningTogether.Abstractions;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Replay.Tests;

public class PlaceIdentityTests
{
    private static readonly Location Osaka = new(1853909, "Osaka", "JP", 34.6937, 135.5022);

    [Fact]
    public void GivenTwoInstancesOfOnePlace_WhenCompared_ThenTheyAreOneEntry()
    {
        Location copy = Osaka with { };

        Assert.NotSame(Osaka, copy);
        Assert.True(PlaceIdentity.Instance.Equals(Osaka, copy));
        Assert.Equal(PlaceIdentity.Instance.GetHashCode(Osaka), PlaceIdentity.Instance.GetHashCode(copy));
    }

    [Fact]
    public void GivenPlacesThatWouldBeWrittenDifferently_WhenCompared_ThenEachIsItsOwnEntry()
    {
        // Every field that reaches the text tells places apart, zero's sign included ("-0" is not "0").
        Location[] others =
        [
            Osaka with { GeonameId = 1 },
            Osaka with { City = null },
            Osaka with { City = "Ōsaka" },
            Osaka with { Country = null },
            Osaka with { Lat = 34.6938 },
            Osaka with { Lon = 135.5023 },
        ];

        Assert.All(others, other => Assert.False(PlaceIdentity.Instance.Equals(Osaka, other)));
        Assert.False(PlaceIdentity.Instance.Equals(Osaka with { Lat = 0.0 }, Osaka with { Lat = -0.0 }));
    }
}
