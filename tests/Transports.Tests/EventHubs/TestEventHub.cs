using System.Globalization;
using Azure.Messaging.EventHubs;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// A hub of a few <see cref="PartitionLog"/>s, as the service keeps them: a batch sent to a partition is appended
/// to it; a batch sent without one goes whole to the next partition in turn (the service's round robin).
/// </summary>
internal sealed class TestEventHub
{
    private readonly Dictionary<string, PartitionLog> _partitions;
    private int _nextUnaddressed = -1;

    public TestEventHub(int partitionCount)
    {
        PartitionIds = [.. Enumerable.Range(0, partitionCount).Select(p => p.ToString(CultureInfo.InvariantCulture))];
        _partitions = PartitionIds.ToDictionary(id => id, _ => new PartitionLog(), StringComparer.Ordinal);
    }

    public string[] PartitionIds { get; }

    public PartitionLog this[string partitionId] => _partitions[partitionId];

    /// <summary>Appends one sent batch, to <paramref name="partitionId"/> or, when none is given, to the next partition in turn.</summary>
    public void Receive(string? partitionId, IEnumerable<EventData> batch)
    {
        string target = partitionId ?? PartitionIds[(int)((uint)Interlocked.Increment(ref _nextUnaddressed) % (uint)PartitionIds.Length)];
        _partitions[target].Append(batch.Select(e => e.EventBody.ToArray()));
    }
}
