using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// Reads a subscription of the emulator in the background as a downstream stage would, acknowledging every message
/// and keeping each distinct payload once (the transport delivers at least once).
/// </summary>
public sealed partial class TopicReader : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte> _payloads = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    internal TopicReader(PubSubConnection connection, string subscription, string topic)
    {
        IPlaySource source = connection.CreateSubscriber(subscription, topic);
        _reading = ReadAsync(source, _stop.Token);
    }

    public int Count => _payloads.Count;

    public IReadOnlyCollection<string> Payloads => [.. _payloads.Keys];

    /// <summary>The co-plays among the results topic's payloads (not the shards' watermarks), in the <c>{"v":1,...}</c> form without their shard.</summary>
    public IReadOnlyCollection<string> CoPlays =>
        [.. _payloads.Keys.Where(p => !p.Contains("\"watermark\":", StringComparison.Ordinal)).Select(p => ShardField().Replace(p, "", 1)).Distinct(StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task ReadAsync(IPlaySource source, CancellationToken cancellationToken)
    {
        await foreach (IReceivedMessage message in source.ReadAllAsync(cancellationToken))
        {
            _payloads.TryAdd(Encoding.UTF8.GetString(message.Payload.Span), 0);
            await message.AckAsync(cancellationToken);
        }
    }

    [GeneratedRegex("\"shard\":[0-9]+,")]
    private static partial Regex ShardField();
}
