using System.Globalization;
using System.Text;
using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Backplane;

/// <summary>
/// The results topic on the Pub/Sub emulator, as match shard 0 of 1 fills it: co-plays as the JSONL object, each of a
/// window of its own so that a site shows it on its own, named by track, and after each the watermark that completes
/// its window, repeating the counts of the windows of the last 10 s (Pub/Sub keeps no order). Each site replica reads it through a subscription of its own, which it creates at start (its
/// <c>/readyz</c> answers 200 only once it exists): publish only after that.
/// </summary>
public sealed class ResultsTopic : IAsyncDisposable
{
    public const string Topic = "coplays";

    private static readonly DateTimeOffset FirstWindow = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    private readonly PubSubConnection _connection;
    private readonly PubSubPublisher _publisher;
    private readonly SortedDictionary<long, int> _counts = [];
    private readonly Lock _lock = new();
    private int _windows;

    private ResultsTopic(PubSubConnection connection)
    {
        _connection = connection;
        _publisher = connection.CreateRawPublisher(Topic);
    }

    /// <summary>Creates the topic; the site replicas create their subscriptions.</summary>
    public static async Task<ResultsTopic> CreateAsync(PubSubEmulator emulator)
    {
        var connection = new PubSubConnection(
            new PubSubTransportOptions { ProjectId = PubSubEmulator.ProjectId, EmulatorHost = emulator.HostPort, CreateMissing = true },
            TimeProvider.System);
        await connection.EnsureTopicAsync(Topic, CancellationToken.None);
        return new ResultsTopic(connection);
    }

    /// <summary>The <c>--Transport:…</c> and <c>--Site:ReplicaName</c> arguments of the site replica <paramref name="replica"/> reading this topic.</summary>
    public static IReadOnlyList<string> SiteArguments(PubSubEmulator emulator, string replica) =>
    [
        "--Transport:Kind=PubSub",
        $"--Transport:PubSub:ProjectId={PubSubEmulator.ProjectId}",
        $"--Transport:PubSub:EmulatorHost={emulator.HostPort}",
        $"--Transport:PubSub:ResultsTopic={Topic}",
        $"--Site:ReplicaName={replica}",
    ];

    /// <summary>Publishes one co-play of <paramref name="trackId"/> in the next window, then the watermark that completes it, and waits until the emulator has them.</summary>
    public async Task PublishAsync(string trackId)
    {
        DateTimeOffset window = FirstWindow.AddSeconds(Interlocked.Increment(ref _windows));
        string windowStart = window.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        byte[] coPlay = Encoding.UTF8.GetBytes(
            $"{{\"v\":1,\"shard\":0,\"windowStart\":\"{windowStart}\",\"trackId\":\"{trackId}\",\"plays\":2,\"locations\":2," +
            "\"a\":{\"geonameId\":1850147,\"city\":\"Tokyo\",\"country\":\"JP\",\"lat\":35.6895,\"lon\":139.69171}," +
            "\"b\":{\"geonameId\":3936456,\"city\":\"Lima\",\"country\":\"PE\",\"lat\":-12.04318,\"lon\":-77.02824},\"distanceKm\":15496.1}");
        long start = window.ToUnixTimeMilliseconds(), end = start + 1000;
        string counts;
        lock (_lock)
        {
            _counts[start] = 1;
            counts = string.Join(",", _counts.Where(c => c.Key >= end - 10_000).Select(c => string.Create(CultureInfo.InvariantCulture, $"\"{c.Key}\":{c.Value}")));
        }

        byte[] watermark = Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $"{{\"v\":1,\"watermark\":{end},\"shard\":0,\"shards\":1,\"counts\":{{{counts}}}}}"));
        await _publisher.PublishAsync(coPlay, CancellationToken.None);
        await _publisher.PublishAsync(watermark, CancellationToken.None);
        await _publisher.FlushAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _publisher.DisposeAsync();
        _connection.Dispose();
    }
}
