using System.Text;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Net;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Replay.Spill;
using ListeningTogether.Replay.Tests.Fixtures;
using ListeningTogether.Tests.Shared.Fuzz;

namespace ListeningTogether.Replay.Tests.Fuzz;

/// <summary>
/// Replay's bucket matcher on mutated spilled plays (the bytes of a bucket's spill files, as the match pass reads
/// them): each bucket is matched, its co-plays in the bucket's windows, or is an <see cref="InvalidDataException"/>
/// saying the spilled plays are damaged; never another exception, a hang or an allocation the bytes do not call for.
/// </summary>
public sealed class SpillBucketFuzzTests : IDisposable
{
    private const long BucketStartMs = 1_795_701_780_000; // 2026-11-26T14:03:00Z
    private const long BucketMs = 10_000;
    private const int WindowMs = 1_000;

    private static readonly string[] Addresses = [PlayLines.LondonIp, PlayLines.LinkopingIp, PlayLines.MiltonIp];

    private readonly CityDatabase _cities = CityDatabase.Open(TestData.CityTestDb);

    public void Dispose() => _cities.Dispose();

    [Fact]
    public void GivenMutatedSpilledPlays_WhenTheirBucketIsMatched_ThenItsCoPlaysAreInTheBucketOrItIsAnInvalidDataException()
    {
        byte[][] corpus = [SpilledBucket(new Random(1), 80), SpilledBucket(new Random(2), 12)];
        var windows = new WindowAssigner(WindowMs);
        var matcher = new SpillBucketMatcher(windows, BucketMs, MatchingOptions.Default, _cities);
        var campaign = new FuzzCampaign("spill-bucket", ciCases: 2000) { MaxAllocatedBytes = 1L << 20 };

        campaign.Run(
            random => ByteMutator.Mutate(random, corpus[random.Next(corpus.Length)], corpus),
            input =>
            {
                input.CopyTo(matcher.RecordBuffer(input.Length));
                var perMinute = new List<MinutePlays>();
                SpillBatchResult result = matcher.Match(BucketStartMs, input.Length, perMinute);

                Assert.All(result.CoPlays, coPlay => Assert.InRange(coPlay.WindowStartMs, BucketStartMs, BucketStartMs + BucketMs - WindowMs));
                Assert.InRange(result.DistinctPlays, 0, input.Length / SpillRecord.HeaderBytes);
                Assert.Equal(result.DistinctPlays, perMinute.Sum(minute => minute.Plays));
            },
            e => e is InvalidDataException);
    }

    /// <summary>
    /// <paramref name="plays"/> records as a worker spills them: a few tracks played in the three test cities over
    /// the bucket's windows, so that windows hold co-plays, duplicates and single plays.
    /// </summary>
    private byte[] SpilledBucket(Random random, int plays)
    {
        GeoPoint[] points = [.. Addresses.Select(PointOf)];
        var bytes = new List<byte>();
        byte[] record = new byte[256];
        for (int i = 0; i < plays; i++)
        {
            byte[] track = Encoding.UTF8.GetBytes($"spotify:track:{random.Next(4)}");
            byte[] eventId = Encoding.UTF8.GetBytes($"e{random.Next(plays)}");
            long playedAtMs = BucketStartMs + random.Next((int)BucketMs);
            bytes.AddRange(record.AsSpan(0, SpillRecord.Write(record, playedAtMs, points[random.Next(points.Length)].PlaceId, track, eventId)));
        }

        return [.. bytes];
    }

    private GeoPoint PointOf(string address)
    {
        Assert.True(StrictIpParser.TryParse(Encoding.ASCII.GetBytes(address), out IpAddress128 ip));
        return _cities.Lookup(ip)!.Point!;
    }
}
