using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Eligibility;

namespace ListeningTogether.Pipeline.Tests.Eligibility;

public class ReasonCountersTests
{
    [Fact]
    public void GivenRecordsOfSeveralOutcomes_WhenCounted_ThenEachReasonAndTheTotalsAreExact()
    {
        var counters = new ReasonCounters();

        counters.Count(IneligibleReason.None);
        counters.Count(IneligibleReason.None);
        counters.Count(IneligibleReason.None);
        counters.Count(IneligibleReason.Malformed);
        counters.Count(IneligibleReason.GeoInaccurate);
        counters.Count(IneligibleReason.GeoInaccurate);
        counters.Reclassify(IneligibleReason.Late);

        Assert.Equal(6, counters.Records);
        Assert.Equal(2, counters.Eligible);
        Assert.Equal(1, counters[IneligibleReason.Malformed]);
        Assert.Equal(2, counters[IneligibleReason.GeoInaccurate]);
        Assert.Equal(1, counters[IneligibleReason.Late]);
        Assert.Equal(0, counters[IneligibleReason.IpMissing]);
    }

    [Fact]
    public void GivenTwoWorkersCounters_WhenAdded_ThenEveryCountIsSummed()
    {
        var first = new ReasonCounters();
        var second = new ReasonCounters();
        foreach (IneligibleReason reason in IneligibleReasons.All)
        {
            first.Count(reason);
            second.Count(reason);
            second.Count(reason);
        }

        second.Count(IneligibleReason.None);

        first.Add(second);

        Assert.Equal(3 * IneligibleReasons.Count + 1, first.Records);
        Assert.Equal(1, first.Eligible);
        Assert.All(IneligibleReasons.All, reason => Assert.Equal(3, first[reason]));
    }

    [Fact]
    public void GivenEveryReason_WhenItsCodeIsTaken_ThenItIsDesignsCodeInCheckOrder()
    {
        string[] codes = [.. IneligibleReasons.All.Select(r => r.Code())];

        Assert.Equal(
            ["malformed", "invalid_event_id", "invalid_track_id", "invalid_played_at", "private_session", "ip_missing", "ip_invalid",
             "ip_not_public", "ip_anonymous", "geo_no_city", "geo_inaccurate", "future_played_at", "late"],
            codes);
        Assert.Equal(IneligibleReasons.Count, codes.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => IneligibleReason.None.Code());
    }

    [Fact]
    public void GivenEveryReason_WhenAskedWhetherItIsDeadLettered_ThenOnlyMalformedTheInvalidIdsPlayedAtAndIpAre()
    {
        IneligibleReason[] deadLettered = [.. IneligibleReasons.All.Where(r => r.IsDeadLettered())];

        Assert.Equal(
            [IneligibleReason.Malformed, IneligibleReason.InvalidEventId, IneligibleReason.InvalidTrackId, IneligibleReason.InvalidPlayedAt, IneligibleReason.IpInvalid],
            deadLettered);
    }
}
