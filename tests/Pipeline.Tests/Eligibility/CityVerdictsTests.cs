using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Tests.Fixtures;

namespace ListeningTogether.Pipeline.Tests.Eligibility;

/// <summary>A worker's City verdicts by data offset: the same answer as judging the record each time.</summary>
public class CityVerdictsTests
{
    public static TheoryData<string, int> DatabasesAndRadii => new()
    {
        { TestData.CityTest, 250 },
        { TestData.LiteCityTest, 250 },
        { TestData.CityTest, 10 },
    };

    [Theory]
    [MemberData(nameof(DatabasesAndRadii))]
    public void GivenEveryRecordOfATestDatabaseAskedTwice_WhenJudged_ThenEachVerdictIsThePlaceOrTheReasonOfJudgingTheRecord(string path, int maxAccuracyRadiusKm)
    {
        using CityDatabase cities = CityDatabase.Open(path);
        var addresses = new AddressClassifier(cities, null, maxAccuracyRadiusKm);
        var verdicts = new CityVerdicts(cities, addresses);
        List<int> offsets = [.. cities.SampleRecords(100_000).Select(s => s.Offset)];

        foreach (int offset in offsets.Concat(offsets))
        {
            int verdict = verdicts.Of(offset);

            CityGeo geo = cities.Resolve(offset);
            IneligibleReason expected = addresses.JudgeCity(geo);
            Assert.Equal(expected, CityVerdicts.ReasonOf(verdict));
            if (expected == IneligibleReason.None)
            {
                Assert.Same(geo.Point, cities.PlaceById(verdict));
            }
        }

        Assert.Contains(offsets, o => verdicts.Of(o) >= 0);
    }

    [Fact]
    public void GivenNoRecord_WhenJudged_ThenTheVerdictIsThatTheCityIsUnknown()
    {
        using CityDatabase cities = CityDatabase.Open(TestData.CityTest);
        var addresses = new AddressClassifier(cities, null, 250);

        int verdict = new CityVerdicts(cities, addresses).Of(MmdbSearchTree.NotFound);

        Assert.Equal(IneligibleReason.GeoNoCity, CityVerdicts.ReasonOf(verdict));
    }
}
