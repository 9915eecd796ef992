using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Tests.Fixtures;
using static ListeningTogether.Pipeline.Tests.Geo.CityDatabaseTests;

namespace ListeningTogether.Pipeline.Tests.Geo;

/// <summary>Decoding every record up front: the records lookups would meet one by one over a long run, and no other.</summary>
public class CityDatabaseDecodeAllTests
{
    [Theory]
    [InlineData("GeoIP2-City-Test.mmdb")]
    [InlineData("GeoLite2-City-Test.mmdb")]
    public void GivenATestDatabase_WhenEveryRecordIsDecoded_ThenItHoldsEachDistinctRecordOfTheTreeOnceAndLookupsDecodeNoMore(string file)
    {
        using CityDatabase cities = CityDatabase.Open(TestData.MaxMindTest(file));
        int distinct = cities.SampleRecords(int.MaxValue).Count;

        int decoded = cities.DecodeAll();

        Assert.Equal(distinct, decoded);
        Assert.Equal(decoded, cities.DecodedRecords);
        Assert.Equal(decoded, cities.DecodeAll());
        foreach (string address in (string[])["81.2.69.142", "89.160.20.112", "2001:480:10::1", "2a02:d3c0::1", "214.1.1.1"])
        {
            cities.Lookup(Ip(address));
        }

        Assert.Equal(decoded, cities.DecodedRecords);
    }

    [Fact]
    public void GivenEveryRecordDecoded_WhenAddressesAreLookedUp_ThenTheAnswersAreTheOnesOfLookupsAlone()
    {
        using CityDatabase lazy = CityDatabase.Open(TestData.CityTest);
        using CityDatabase eager = CityDatabase.Open(TestData.CityTest);
        eager.DecodeAll();

        foreach (var (address, _) in lazy.SampleRecords(int.MaxValue))
        {
            CityGeo? expected = lazy.Lookup(address);
            CityGeo? actual = eager.Lookup(address);
            Assert.Equal(expected?.Location, actual?.Location);
            Assert.Equal(expected?.AccuracyRadiusKm, actual?.AccuracyRadiusKm);
        }
    }

    [RealCityDbFact]
    public void GivenTheRealCityDatabase_WhenEveryRecordIsDecoded_ThenItHoldsEachDistinctRecordOfTheTreeOnce()
    {
        using CityDatabase cities = CityDatabase.Open(TestData.RealCityDb);

        Assert.Equal(cities.SampleRecords(int.MaxValue).Count, cities.DecodeAll());
    }
}
