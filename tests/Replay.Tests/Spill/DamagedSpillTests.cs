using System.Buffers.Binary;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Net;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Replay.Spill;
using ListeningTogether.Replay.Tests.Fixtures;

namespace ListeningTogether.Replay.Tests.Spill;

/// <summary>
/// Spilled plays damaged between the passes (the fuzz campaign's spill-bucket target found each of these as an
/// ArgumentOutOfRangeException, an OverflowException, an IndexOutOfRangeException, a 28 MB allocation or a hang):
/// the bucket is an <see cref="InvalidDataException"/> saying which record is damaged and how.
/// </summary>
public sealed class DamagedSpillTests : IDisposable
{
    private const long BucketStartMs = 1_795_701_780_000; // 2026-11-26T14:03:00Z
    private const long BucketMs = 10_000;
    private const string Damaged = "The spilled plays of the bucket starting 2026-11-26T14:03:00.000Z are damaged: ";

    private readonly CityDatabase _cities = CityDatabase.Open(TestData.CityTestDb);

    public void Dispose() => _cities.Dispose();

    [Fact]
    public void GivenTwoPlaysOfATrackInLondonAndMilton_WhenTheirBucketIsMatched_ThenTheyAreACoPlay()
    {
        SpillBatchResult result = Match(TwoPlays());

        CoPlay coPlay = Assert.Single(result.CoPlays);
        Assert.Equal(BucketStartMs, coPlay.WindowStartMs);
        Assert.Equal(2, result.DistinctPlays);
    }

    [Fact]
    public void GivenARecordCutOffInItsHeader_WhenMatched_ThenTheRecordRunsPastTheEnd()
    {
        byte[] plays = [.. TwoPlays(), .. TwoPlays().AsSpan(0, 10)];

        var e = Assert.Throws<InvalidDataException>(() => Match(plays));

        Assert.Equal(Damaged + $"the record at byte {plays.Length - 10} of {plays.Length} runs past their end.", e.Message);
    }

    [Fact]
    public void GivenARecordWhoseEventIdIsLongerThanTheBytesLeft_WhenMatched_ThenTheRecordRunsPastTheEnd()
    {
        byte[] plays = TwoPlays();
        int second = SecondRecordAt(plays);
        BinaryPrimitives.WriteUInt16LittleEndian(plays.AsSpan(second + 14), ushort.MaxValue);

        var e = Assert.Throws<InvalidDataException>(() => Match(plays));

        Assert.Equal(Damaged + $"the record at byte {second} of {plays.Length} runs past their end.", e.Message);
    }

    [Theory]
    [InlineData(BucketStartMs + BucketMs)]
    [InlineData(BucketStartMs - 1)]
    [InlineData(BucketStartMs + (9L * 365 * 24 * 3600 * 1000))]
    [InlineData(long.MinValue)]
    public void GivenARecordPlayedOutsideTheBucket_WhenMatched_ThenItsPlayTimeIsNamed(long playedAtMs)
    {
        byte[] plays = TwoPlays();
        int second = SecondRecordAt(plays);
        BinaryPrimitives.WriteInt64LittleEndian(plays.AsSpan(second), playedAtMs);

        var e = Assert.Throws<InvalidDataException>(() => Match(plays));

        Assert.Equal(Damaged + $"the record at byte {second} has a play time ({playedAtMs} Unix ms) outside the bucket.", e.Message);
    }

    [Fact]
    public void GivenARecordWithThePlaceIdAfterTheLastTheCityDatabaseGave_WhenMatched_ThenThePlaceIdIsNamed() =>
        AssertPlaceIdIsRefused(_cities.PlaceCount);

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void GivenARecordWithAPlaceIdOutOfEveryRange_WhenMatched_ThenThePlaceIdIsNamed(int placeId) =>
        AssertPlaceIdIsRefused(placeId);

    private void AssertPlaceIdIsRefused(int placeId)
    {
        byte[] plays = TwoPlays();
        BinaryPrimitives.WriteInt32LittleEndian(plays.AsSpan(8), placeId);

        var e = Assert.Throws<InvalidDataException>(() => Match(plays));

        Assert.Equal(Damaged + $"the record at byte 0 has place id {placeId}, but the City database has given ids 0 to {_cities.PlaceCount - 1}.", e.Message);
    }

    private SpillBatchResult Match(byte[] plays)
    {
        var matcher = new SpillBucketMatcher(new WindowAssigner(1000), BucketMs, MatchingOptions.Default, _cities);
        plays.CopyTo(matcher.RecordBuffer(plays.Length));
        return matcher.Match(BucketStartMs, plays.Length, []);
    }

    /// <summary>A play of spotify:track:1 in London, then one in Milton 100 ms later, as a worker spills them.</summary>
    private byte[] TwoPlays()
    {
        byte[] track = Encoding.UTF8.GetBytes("spotify:track:1");
        byte[] plays = new byte[2 * (SpillRecord.HeaderBytes + track.Length + 2)];
        int length = SpillRecord.Write(plays, BucketStartMs + 100, PlaceOf(PlayLines.LondonIp), track, "e1"u8);
        SpillRecord.Write(plays.AsSpan(length), BucketStartMs + 200, PlaceOf(PlayLines.MiltonIp), track, "e2"u8);
        return plays;
    }

    private static int SecondRecordAt(byte[] plays) => plays.Length / 2;

    private int PlaceOf(string address)
    {
        Assert.True(StrictIpParser.TryParse(Encoding.ASCII.GetBytes(address), out IpAddress128 ip));
        return _cities.Lookup(ip)!.Point!.PlaceId;
    }
}
