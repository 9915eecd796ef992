using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Net;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Replay.Spill;
using ListeningTogether.Replay.Tests.Fixtures;

namespace ListeningTogether.Replay.Tests.Spill;

/// <summary>Replay's bucket matcher against the co-play rule, also when every track's hash collides; its place ids stay with their co-plays.</summary>
public sealed class SpillBucketMatcherProperties : IDisposable
{
    private const long BucketStartMs = 1_795_701_780_000; // 2026-11-26T14:03:00Z, a half-minute boundary
    private const long BucketMs = 30_000;
    private static readonly string[] Addresses = [PlayLines.LondonIp, PlayLines.LinkopingIp, PlayLines.MiltonIp];

    private readonly CityDatabase _cities = CityDatabase.Open(Fixtures.TestData.CityTestDb);

    public void Dispose() => _cities.Dispose();

    private static Gen<(int Track, int EventId, int OffsetMs, int Place)> Play =>
        from track in Gen.Choose(0, 5)
        from eventId in Gen.Choose(0, 30)
        from offset in Gen.Choose(0, 29_999)
        from place in Gen.Choose(0, Addresses.Length - 1)
        select (track, eventId, offset, place);

    [Property(MaxTest = 200)]
    public Property GivenRandomPlaysInABucket_WhenMatchedWithAndWithoutTrackHashCollisions_ThenTheRuleAgrees() =>
        Prop.ForAll(Arb.From(Gen.ListOf(Play)), plays =>
        {
            var windows = new WindowAssigner(1000);
            var groups = new Dictionary<(long WindowStart, string TrackId), List<EligiblePlay>>();
            var records = new List<byte>();
            byte[] record = new byte[256];
            foreach (var (track, eventId, offset, place) in plays)
            {
                // Track ids of different lengths, event ids shared across tracks (different plays of their own groups).
                string trackId = $"spotify:track:{new string('t', track)}{track}";
                string id = $"e{eventId}";
                Assert.True(StrictIpParser.TryParse(Encoding.UTF8.GetBytes(Addresses[place]), out IpAddress128 address));
                GeoPoint point = _cities.Resolve(_cities.FindRecord(address)).Point!;
                long playedAtMs = BucketStartMs + offset;
                (long, string) key = (windows.WindowStart(playedAtMs), trackId);
                if (!groups.TryGetValue(key, out List<EligiblePlay>? group))
                {
                    groups.Add(key, group = []);
                }

                group.Add(new EligiblePlay(id, playedAtMs, point.Location));
                records.AddRange(record.AsSpan(0, SpillRecord.Write(record, playedAtMs, point.PlaceId, Encoding.UTF8.GetBytes(trackId), Encoding.UTF8.GetBytes(id))).ToArray());
            }

            List<CoPlay> expected = [.. groups.Select(g => CoPlayRule.Match(g.Key.WindowStart, g.Key.TrackId, g.Value, MatchingOptions.Default)).OfType<CoPlay>()];
            expected.Sort(CoPlayOrder.Instance);
            long expectedPlays = groups.Values.Sum(g => (long)CoPlayRule.DistinctPlays(g).Count);
            foreach (ulong mask in new[] { ulong.MaxValue, 0UL })
            {
                var matcher = new SpillBucketMatcher(windows, BucketMs, MatchingOptions.Default, _cities, mask);
                records.ToArray().CopyTo(matcher.RecordBuffer(records.Count));
                var perMinute = new List<MinutePlays>();
                SpillBatchResult actual = matcher.Match(BucketStartMs, records.Count, perMinute);

                Assert.Equal(expected, actual.CoPlays);
                AssertPlacesAreTheCoPlays(actual);
                Assert.Equal(expectedPlays, actual.DistinctPlays);
                Assert.Equal(groups.Keys.Select(k => k.WindowStart).Distinct().LongCount(), actual.Windows);
                Assert.Equal(expectedPlays, perMinute.Sum(m => m.Plays));
            }
        });

    /// <summary>Each co-play's place ids, at its index after the sort, are its places' ids in the City database.</summary>
    private void AssertPlacesAreTheCoPlays(SpillBatchResult result)
    {
        Assert.Equal(result.CoPlays.Count, result.Places.Count);
        for (int i = 0; i < result.CoPlays.Count; i++)
        {
            Assert.Equal(PlaceId(result.CoPlays[i].A), result.Places[i].A);
            Assert.Equal(PlaceId(result.CoPlays[i].B), result.Places[i].B);
        }
    }

    private int PlaceId(Location place)
    {
        foreach (string address in Addresses)
        {
            Assert.True(StrictIpParser.TryParse(Encoding.UTF8.GetBytes(address), out IpAddress128 ip));
            GeoPoint point = _cities.Lookup(ip)!.Point!;
            if (ReferenceEquals(point.Location, place))
            {
                return point.PlaceId;
            }
        }

        throw new InvalidOperationException($"{place} is none of the test places.");
    }
}
