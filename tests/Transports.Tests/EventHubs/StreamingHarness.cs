using System.Globalization;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Tests.Shared;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// The streaming pipeline's contract with a transport, on the real classifier and co-play engine: an ineligible
/// or late message is acknowledged once counted, an eligible one only after its window reached the results, which
/// are idempotent on (window, track) as DESIGN.md requires of results sinks.
/// </summary>
internal sealed class StreamingHarness
{
    private readonly PlayClassifier _classifier;
    private readonly StreamingCoPlayEngine _engine;
    private readonly IDictionary<(long WindowStartMs, string TrackId), CoPlay> _results;
    private readonly List<EmittedWindow> _emitted = [];

    public StreamingHarness(CityDatabase cities, TimeProvider clock, IDictionary<(long, string), CoPlay> results)
    {
        _classifier = new PlayClassifier(cities, null, 250);
        _engine = new StreamingCoPlayEngine(new WindowAssigner(1000), 2000, 3000, 60_000, new MatchingOptions(100), clock);
        _results = results;
    }

    /// <summary>Event ids of the messages this harness was handed, in order (poison records by their payload).</summary>
    public List<string> Handled { get; } = [];

    public Dictionary<IneligibleReason, int> Ineligible { get; } = [];

    public async Task HandleAsync(IReceivedMessage message)
    {
        IneligibleReason reason = _classifier.Classify(message.Payload.Span, out PlayFields fields, out Location? location);
        Handled.Add(fields.EventId.IsEmpty ? Encoding.UTF8.GetString(message.Payload.Span) : Encoding.UTF8.GetString(fields.EventId));
        if (reason == IneligibleReason.None)
        {
            reason = _engine.Add(fields.TrackId, fields.EventId, fields.PlayedAtMs, location!, message);
        }

        if (reason != IneligibleReason.None)
        {
            Ineligible[reason] = Ineligible.GetValueOrDefault(reason) + 1;
            await message.AckAsync(CancellationToken.None);
        }
    }

    public Task EmitReadyAsync()
    {
        _engine.EmitReady(_emitted);
        return WriteEmittedAsync();
    }

    /// <summary>End of input: every open window goes out.</summary>
    public Task FlushAllAsync()
    {
        _engine.FlushAll(_emitted);
        return WriteEmittedAsync();
    }

    private async Task WriteEmittedAsync()
    {
        foreach (EmittedWindow window in _emitted)
        {
            foreach (CoPlay coPlay in window.CoPlays)
            {
                _results[(coPlay.WindowStartMs, coPlay.TrackId)] = coPlay;
            }

            foreach (object ack in window.Acks)
            {
                await ((IReceivedMessage)ack).AckAsync(CancellationToken.None);
            }
        }

        _emitted.Clear();
    }
}

/// <summary>Play records located by the MaxMind test City database.</summary>
internal static class TestPlays
{
    public const string LondonIp = "81.2.69.142";
    public const string LinkopingIp = "89.160.20.112";
    public const string MiltonIp = "216.160.83.56";

    public static readonly DateTimeOffset Start = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    public static string CityTestDb => RepositoryPaths.MaxMindTest("GeoIP2-City-Test.mmdb");

    public static byte[] Play(string eventId, string trackId, string? ip, long offsetMs, string extra = "") =>
        Encoding.UTF8.GetBytes(
            "{\"eventId\":\"" + eventId + "\",\"trackId\":\"" + trackId + "\",\"ip\":" + (ip is null ? "null" : "\"" + ip + "\"")
            + ",\"playedAt\":\"" + Start.AddMilliseconds(offsetMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "\"" + extra + "}");
}
