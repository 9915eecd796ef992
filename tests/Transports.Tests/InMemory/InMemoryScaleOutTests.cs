using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Transports.Tests.InMemory;

/// <summary>Results of the in-process topology fan out (DESIGN.md "One world view"): every site replica gets every result.</summary>
public sealed class InMemoryScaleOutTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 14, 3, 22, TimeSpan.Zero));

    [Fact]
    public async Task GivenTwoSiteReplicasThatOpenedResults_WhenResultsArePublished_ThenEachReplicaGetsEveryOne()
    {
        var topology = new InMemoryScaleOut(Channel(), Channel(), Channel(), Channel);
        IPlaySource first = topology.OpenResults("site-a"), second = topology.OpenResults("site-b");

        IKeyedPublisher results = topology.OpenResultsPublisher();
        foreach (string result in new[] { "one", "two", "three" })
        {
            await results.PublishAsync(result, Encoding.UTF8.GetBytes(result), CancellationToken.None);
        }

        Assert.Equal(["one", "two", "three"], await ReadAsync(first, 3));
        Assert.Equal(["one", "two", "three"], await ReadAsync(second, 3));
        Assert.Same(first, topology.OpenResults("site-a"));
    }

    [Fact]
    public void GivenNoWayToMakeMoreResultsChannels_WhenASecondReplicaOpensResults_ThenItIsToldThereIsOneReaderOnly()
    {
        var topology = new InMemoryScaleOut(Channel(), Channel(), Channel());
        topology.OpenResults("site-a");

        var e = Assert.Throws<InvalidOperationException>(() => topology.OpenResults("site-b"));

        Assert.Equal("Results already have a reader (site-a); this in-process topology has one site replica.", e.Message);
    }

    private InMemoryTransport Channel() => new(new InMemoryTransportOptions { Capacity = 16 }, _clock);

    private static async Task<List<string>> ReadAsync(IPlaySource source, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = new List<string>();
        await foreach (IReceivedMessage message in source.ReadAllAsync(timeout.Token))
        {
            read.Add(Encoding.UTF8.GetString(message.Payload.Span));
            await message.AckAsync(CancellationToken.None);
            if (read.Count == count)
            {
                break;
            }
        }

        return read;
    }
}
