using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Tests.Fixtures;
using ListeningTogether.Pipeline.Tests.Geo;

namespace ListeningTogether.Pipeline.Tests.Eligibility;

/// <summary>DESIGN.md "Eligibility" reasons 5-10 end to end on one record, with MaxMind's test databases.</summary>
public class PlayClassifierTests
{
    private static readonly Location London = new(2643743, "London", "GB", 51.5142, -0.0931);

    private sealed record Outcome(IneligibleReason Reason, Location? Location, string EventId);

    private static Outcome Classify(string ip, bool withAnonymousDb = false, int maxAccuracyRadiusKm = 250, string? cityDb = null)
    {
        using CityDatabase cities = CityDatabase.Open(cityDb ?? TestData.CityTest);
        using AnonymousIpDatabase? anonymous = withAnonymousDb ? AnonymousIpDatabase.Open(TestData.AnonymousIpTest) : null;
        var classifier = new PlayClassifier(cities, anonymous, maxAccuracyRadiusKm);
        string json = ip == "null" ? PlayJson.With(("ip", "null")) : PlayJson.WithString("ip", ip);

        IneligibleReason reason = classifier.Classify(Encoding.UTF8.GetBytes(json), out PlayFields fields, out Location? location);

        return new Outcome(reason, location, Encoding.UTF8.GetString(fields.EventId));
    }

    [Fact]
    public void GivenAPlayFromLondon_WhenClassified_ThenItIsEligibleWithLondonsLocation()
    {
        Assert.Equal(new Outcome(IneligibleReason.None, London, "5f0c9a"), Classify("81.2.69.142"));
    }

    [Fact]
    public void GivenAPlayFromAnIpv6SanDiegoNetwork_WhenClassified_ThenItIsEligibleWithThatNetworksCoordinates()
    {
        Outcome outcome = Classify("2001:480:10::1");

        Assert.Equal(new Outcome(IneligibleReason.None, new Location(5391811, "San Diego", "US", 32.7203, -117.1552), "5f0c9a"), outcome);
    }

    // Reasons 5-7 are decided before any lookup; a written City database keeps them independent of the test files.
    private static Outcome ClassifyBeforeLookup(string ip)
    {
        using var file = new TempFile(MmdbWriter.Build(6, 24, "GeoIP2-City", WrittenCityDatabaseTests.Networks));
        return Classify(ip, cityDb: file.Path);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("")]
    public void GivenNoIp_WhenClassified_ThenItIsIpMissing(string ip)
    {
        Assert.Equal(new Outcome(IneligibleReason.IpMissing, null, "5f0c9a"), ClassifyBeforeLookup(ip));
    }

    [Theory]
    [InlineData("010.1.2.3")]
    [InlineData("1.2.3")]
    [InlineData("0x51.2.69.142")]
    [InlineData("81.2.69.256")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[::1]")]
    [InlineData(" 81.2.69.142")]
    [InlineData("1::2::3")]
    public void GivenAnIpThatDoesNotParseStrictly_WhenClassified_ThenItIsIpInvalid(string ip)
    {
        Assert.Equal(new Outcome(IneligibleReason.IpInvalid, null, "5f0c9a"), ClassifyBeforeLookup(ip));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::1")]
    [InlineData("2001:db8::1")]
    [InlineData("fe80::1")]
    public void GivenANonPublicIp_WhenClassified_ThenItIsIpNotPublic(string ip)
    {
        Assert.Equal(new Outcome(IneligibleReason.IpNotPublic, null, "5f0c9a"), ClassifyBeforeLookup(ip));
    }

    [Theory]
    [InlineData("81.2.69.142")]  // in the City database too: anonymity is judged before the city
    [InlineData("1.2.0.1")]      // in no City network: ip_anonymous, not geo_no_city
    [InlineData("abcd:1000::1")]
    public void GivenAnAddressTheAnonymousIpDatabaseLists_WhenClassified_ThenItIsIpAnonymous(string ip)
    {
        Assert.Equal(new Outcome(IneligibleReason.IpAnonymous, null, "5f0c9a"), Classify(ip, withAnonymousDb: true));
    }

    [Fact]
    public void GivenNoAnonymousIpDatabase_WhenAnAnonymousAddressIsClassified_ThenItIsEligible()
    {
        Assert.Equal(new Outcome(IneligibleReason.None, London, "5f0c9a"), Classify("81.2.69.142", withAnonymousDb: false));
    }

    [Theory]
    [InlineData("2001:218::1")]    // a country, no city
    [InlineData("214.1.1.1")]      // an empty record
    [InlineData("1.1.1.1")]        // no record at all
    [InlineData("149.101.100.1")]  // no city and a 1000 km radius: geo_no_city comes first
    public void GivenAnAddressWithoutACityInTheDatabase_WhenClassified_ThenItIsGeoNoCity(string ip)
    {
        Assert.Equal(new Outcome(IneligibleReason.GeoNoCity, null, "5f0c9a"), Classify(ip, withAnonymousDb: true));
    }

    [Theory]
    [InlineData("81.2.69.160", 99, IneligibleReason.GeoInaccurate)]  // radius 100
    [InlineData("81.2.69.160", 100, IneligibleReason.None)]          // exactly the maximum does not exceed it
    [InlineData("81.2.69.144", 2, IneligibleReason.GeoInaccurate)]   // radius 3
    [InlineData("81.2.69.144", 3, IneligibleReason.None)]
    [InlineData("81.2.69.142", 250, IneligibleReason.None)]          // radius 10 under the default
    public void GivenAnAccuracyRadiusAgainstMaxAccuracyRadiusKm_WhenClassified_ThenOnlyARadiusAboveItIsGeoInaccurate(string ip, int maxRadiusKm, IneligibleReason expected)
    {
        Outcome outcome = Classify(ip, maxAccuracyRadiusKm: maxRadiusKm);

        Assert.Equal(new Outcome(expected, expected == IneligibleReason.None ? London : null, "5f0c9a"), outcome);
    }

    [Theory]
    [InlineData("4.1.2.3", IneligibleReason.GeoInaccurate)] // Osaka, radius 500
    [InlineData("8.8.8.8", IneligibleReason.None)]          // San Diego, radius 250
    [InlineData("8.8.9.0", IneligibleReason.GeoInaccurate)] // San Diego, radius 251
    public void GivenTheDefault250KmMaximum_WhenRadiiAroundItAreClassified_ThenOnlyThoseAbove250AreGeoInaccurate(string ip, IneligibleReason expected)
    {
        using var file = new TempFile(MmdbWriter.Build(4, 24, "GeoIP2-City", WrittenCityDatabaseTests.Networks));

        Assert.Equal(expected, Classify(ip, cityDb: file.Path).Reason);
    }

    [Fact]
    public void GivenACityRecordWithoutAnAccuracyRadius_WhenClassifiedWithAZeroMaximum_ThenTheMissingRadiusPasses()
    {
        using var file = new TempFile(MmdbWriter.Build(6, 24, "GeoIP2-City", WrittenCityDatabaseTests.Networks));

        Outcome outcome = Classify("1.2.3.4", maxAccuracyRadiusKm: 0, cityDb: file.Path);

        Assert.Equal(new Outcome(IneligibleReason.None, new Location(1850147, "Tokyo", "JP", 35.6895, 139.69171), "5f0c9a"), outcome);
    }

    [Theory]
    [InlineData("2.2.3.4")] // a city id without coordinates
    [InlineData("7.1.1.1")] // a latitude without a longitude
    [InlineData("3.2.3.4")] // coordinates without a city id
    public void GivenACityRecordLackingAnIdOrCoordinates_WhenClassified_ThenItIsGeoNoCity(string ip)
    {
        using var file = new TempFile(MmdbWriter.Build(4, 24, "GeoIP2-City", WrittenCityDatabaseTests.Networks));

        Assert.Equal(IneligibleReason.GeoNoCity, Classify(ip, cityDb: file.Path).Reason);
    }

    [Fact]
    public void GivenAMalformedRecord_WhenClassified_ThenTheDecodersReasonStandsAndNoLocationIsGiven()
    {
        using var file = new TempFile(MmdbWriter.Build(6, 24, "GeoIP2-City", WrittenCityDatabaseTests.Networks));
        using CityDatabase cities = CityDatabase.Open(file.Path);
        var classifier = new PlayClassifier(cities, null, 250);

        IneligibleReason reason = classifier.Classify("{\"eventId\":\"e\",\"userId\":5,\"ip\":\"81.2.69.142\"}"u8, out _, out GeoPoint? point);

        Assert.Equal(IneligibleReason.Malformed, reason);
        Assert.Null(point);
    }
}
