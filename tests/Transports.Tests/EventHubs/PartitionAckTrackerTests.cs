using Azure.Messaging.EventHubs.Processor;
using FsCheck.Xunit;
using ListeningTogether.Transports.EventHubs;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>The checkpointable position of one partition under acks in any order.</summary>
public sealed class PartitionAckTrackerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 14, 3, 22, TimeSpan.Zero);

    private static (PartitionAckTracker Tracker, EventHubsMessage[] Messages) Track(int count, long firstSequenceNumber = 0)
    {
        var tracker = new PartitionAckTracker("0", "eventhubs:plays/0");
        var messages = new EventHubsMessage[count];
        for (int i = 0; i < count; i++)
        {
            long sequenceNumber = firstSequenceNumber + i;
            messages[i] = new EventHubsMessage(tracker, new byte[] { (byte)i }, new CheckpointPosition((sequenceNumber * 10).ToString(System.Globalization.CultureInfo.InvariantCulture), sequenceNumber), Now);
            tracker.Track(messages[i]);
        }

        return (tracker, messages);
    }

    [Fact]
    public void GivenTrackedMessages_WhenNoneIsAcked_ThenThereIsNoPositionToCheckpoint()
    {
        var (tracker, _) = Track(3);

        Assert.Null(tracker.AckedPosition);
        Assert.Null(tracker.TakeCheckpointToWrite());
        Assert.Equal(3, tracker.InFlight);
    }

    [Fact]
    public async Task GivenAcksOutOfOrder_WhenEachArrives_ThenThePositionStopsBeforeTheFirstUnackedMessage()
    {
        var (tracker, m) = Track(5, firstSequenceNumber: 100);

        await m[2].AckAsync(CancellationToken.None);
        await m[1].AckAsync(CancellationToken.None);
        Assert.Null(tracker.AckedPosition);

        await m[0].AckAsync(CancellationToken.None);
        Assert.Equal(102, tracker.AckedPosition!.Value.SequenceNumber);
        Assert.Equal("1020", tracker.AckedPosition!.Value.OffsetString);

        await m[4].AckAsync(CancellationToken.None);
        Assert.Equal(102, tracker.AckedPosition!.Value.SequenceNumber);

        await m[3].AckAsync(CancellationToken.None);
        Assert.Equal(104, tracker.AckedPosition!.Value.SequenceNumber);
        Assert.Equal(0, tracker.InFlight);
    }

    [Fact]
    public async Task GivenAMessageAckedTwice_WhenTheNextIsStillOpen_ThenThePositionDoesNotPassIt()
    {
        var (tracker, m) = Track(2);

        await m[0].AckAsync(CancellationToken.None);
        await m[0].AckAsync(CancellationToken.None);

        Assert.Equal(0, tracker.AckedPosition!.Value.SequenceNumber);
        Assert.Equal(1, tracker.InFlight);
    }

    [Fact]
    public async Task GivenAWrittenCheckpoint_WhenNothingMoreIsAcked_ThenTheSamePositionIsNotWrittenAgain()
    {
        var (tracker, m) = Track(3);
        await m[0].AckAsync(CancellationToken.None);

        CheckpointPosition first = tracker.TakeCheckpointToWrite()!.Value;
        tracker.Written(first);

        Assert.Null(tracker.TakeCheckpointToWrite());
        await m[1].AckAsync(CancellationToken.None);
        Assert.Equal(1, tracker.TakeCheckpointToWrite()!.Value.SequenceNumber);
    }

    [Fact]
    public async Task GivenAClosedTracker_WhenItsMessagesAreAcked_ThenItOffersNoCheckpoint()
    {
        var (tracker, m) = Track(2);
        tracker.Close();

        await m[0].AckAsync(CancellationToken.None);
        await m[1].AckAsync(CancellationToken.None);

        Assert.Null(tracker.TakeCheckpointToWrite());
    }

    [Fact]
    public async Task GivenAcksFromManyThreads_WhenAllArrive_ThenThePositionIsTheLastMessage()
    {
        var (tracker, m) = Track(10_000);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (int i = t; i < m.Length; i += 4)
            {
                await m[i].AckAsync(CancellationToken.None);
            }
        })));

        Assert.Equal(9_999, tracker.AckedPosition!.Value.SequenceNumber);
        Assert.Equal(0, tracker.InFlight);
    }

    [Property(MaxTest = 300)]
    public void GivenAnyAckOrder_WhenEachAckArrives_ThenThePositionIsTheLongestFullyAckedPrefix(byte count, int seed)
    {
        int n = count % 64 + 1;
        var (tracker, m) = Track(n);
        int[] order = [.. Enumerable.Range(0, n)];
        new Random(seed).Shuffle(order);
        var acked = new bool[n];

        foreach (int i in order)
        {
            tracker.Ack(m[i]);
            acked[i] = true;

            int prefix = Array.IndexOf(acked, false) is var firstOpen and >= 0 ? firstOpen : n;
            Assert.Equal(prefix == 0 ? null : prefix - 1, tracker.AckedPosition?.SequenceNumber);
            Assert.Equal(n - prefix, tracker.InFlight);
        }
    }
}
