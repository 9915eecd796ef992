using System.Diagnostics;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// StreamingPull streams with a lifetime, on the real emulator. The emulator goes on handing messages to the streams
/// of a reader that stopped or crashed until their deadline passes; each such message reaches nobody until its ack
/// deadline passes. A stream's lifetime and deadline bound that; replacing a stream at the end of its lifetime loses
/// nothing.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class StreamLifetimeTests(PubSubEmulatorFixture emulator) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>How long the service has to close a stream after it ended its requests (StreamingPullStream's grace).</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        foreach (IDisposable d in _disposables)
        {
            d.Dispose();
        }
    }

    private async Task<(PubSubConnection Connection, PubSubTransportOptions Options)> CreateAsync(Action<PubSubTransportOptions> configure)
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("pipeline"), configure);
        PubSubConnection connection = PubSubEmulatorFixture.Connect(options);
        _disposables.Add(connection);
        await connection.EnsureSubscriptionAsync(options.Subscription, options.Topic, CancellationToken.None);
        return (connection, options);
    }

    private static async Task PublishAsync(PubSubConnection connection, PubSubTransportOptions options, IEnumerable<string> payloads)
    {
        await using PubSubPublisher publisher = connection.CreatePublisher(options.Topic);
        foreach (string payload in payloads)
        {
            await publisher.PublishAsync(Encoding.UTF8.GetBytes(payload), CancellationToken.None);
        }

        await publisher.FlushAsync(CancellationToken.None);
    }

    /// <summary>Reads and acknowledges until <paramref name="count"/> distinct messages came; gives every payload read, copies included.</summary>
    private static async Task<List<string>> ReadAsync(PubSubSubscriber subscriber, int count, TimeSpan patience)
    {
        var read = new List<string>();
        var distinct = new HashSet<string>();
        using var stop = new CancellationTokenSource(patience);
        try
        {
            await foreach (IReceivedMessage message in subscriber.ReadAllAsync(stop.Token))
            {
                string text = Encoding.UTF8.GetString(message.Payload.Span);
                read.Add(text);
                distinct.Add(text);
                await message.AckAsync(CancellationToken.None);
                if (distinct.Count == count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Out of patience: the caller sees what was read.
        }

        return read;
    }

    [Fact]
    public async Task GivenAReaderThatStopped_WhenItsStreamsHavePassedTheirDeadline_ThenTheNextReaderGetsEveryNewMessageAtOnce()
    {
        TimeSpan lifetime = TimeSpan.FromSeconds(2);
        var (connection, options) = await CreateAsync(o =>
        {
            o.Streams = 4;
            o.StreamLifetime = lifetime;
        });
        await PublishAsync(connection, options, ["first"]);
        Assert.Equal(["first"], await ReadAsync(connection.CreateSubscriber(options.Subscription, options.Topic), 1, Patience));

        // The first reader's four streams were cut by its stop; the emulator keeps them until their deadline.
        await Task.Delay(lifetime + CloseGrace + TimeSpan.FromSeconds(1));
        string[] fresh = [.. Enumerable.Range(0, 400).Select(i => $"fresh-{i}")];
        await PublishAsync(connection, options, fresh);
        var clock = Stopwatch.StartNew();
        List<string> read = await ReadAsync(connection.CreateSubscriber(options.Subscription, options.Topic), fresh.Length, TimeSpan.FromSeconds(8));

        Assert.True(
            read.Distinct().Count() == fresh.Length,
            $"{read.Distinct().Count()} of {fresh.Length} messages in {clock.Elapsed.TotalSeconds:0.0} s: the stopped reader's streams still took the others");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(options.AckDeadlineSeconds), $"the messages took {clock.Elapsed.TotalSeconds:0.0} s, an ack deadline or more");
    }

    [Fact]
    public async Task GivenStreamsThatLiveOneSecond_WhenMessagesComeAcrossManyLifetimes_ThenEachArrivesOnce()
    {
        var (connection, options) = await CreateAsync(o =>
        {
            o.Streams = 2;
            o.StreamLifetime = TimeSpan.FromSeconds(1);
        });
        PubSubSubscriber subscriber = connection.CreateSubscriber(options.Subscription, options.Topic);
        Task<List<string>> reading = ReadAsync(subscriber, 2000, Patience);

        for (int batch = 0; batch < 10; batch++)
        {
            await PublishAsync(connection, options, Enumerable.Range(batch * 200, 200).Select(i => $"m-{i}"));
            await Task.Delay(500);
        }

        List<string> read = await reading;

        Assert.Equal(2000, read.Distinct().Count());
        Assert.True(read.Count == 2000, $"{read.Count - 2000} messages came twice: a stream replaced at the end of its lifetime dropped what it had been sent");
    }
}
