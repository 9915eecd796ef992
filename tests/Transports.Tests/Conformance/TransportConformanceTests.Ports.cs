using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.Tests.Conformance;

/// <summary>
/// The ports alone, before any pipeline: a published payload comes back whole, with a source and a receive time;
/// a waiting reader gets what is published later, and stops when cancelled once it reads; acknowledging twice fails nothing.
/// </summary>
public abstract partial class TransportConformanceTests
{
    private static byte[] Payload(string eventId) =>
        Encoding.UTF8.GetBytes("{\"eventId\":\"" + eventId + "\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431}");

    private static async Task PublishOneAsync(TransportUnderTest transport, byte[] payload)
    {
        await transport.Publisher.PublishAsync(payload, CancellationToken.None);
        await transport.Publisher.FlushAsync(CancellationToken.None);
    }

    private static IAsyncEnumerator<IReceivedMessage> OpenReader(TransportUnderTest transport, CancellationToken cancellationToken) =>
        transport.OpenSource().ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>A reader that has read the one play published before it opened.</summary>
    private static async Task<IAsyncEnumerator<IReceivedMessage>> ReadPublishedPlayAsync(TransportUnderTest transport, CancellationToken cancellationToken)
    {
        await PublishOneAsync(transport, Payload("e-1"));
        IAsyncEnumerator<IReceivedMessage> reader = OpenReader(transport, cancellationToken);
        Assert.True(await reader.MoveNextAsync());
        return reader;
    }

    [Fact]
    public async Task GivenAPublishedPlay_WhenRead_ThenItComesBackWholeWithASourceAndAReceiveTime()
    {
        await using TransportUnderTest transport = await CreateTransportAsync();
        using var timeout = new CancellationTokenSource(transport.Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = await ReadPublishedPlayAsync(transport, timeout.Token);

        Assert.Equal(Payload("e-1"), reader.Current.Payload.ToArray());
        Assert.False(string.IsNullOrEmpty(reader.Current.Source));
        Assert.NotEqual(default, reader.Current.ReceivedAt);
    }

    [Fact]
    public async Task GivenAReaderWaitingOnAnEmptyTransport_WhenAPlayIsPublished_ThenTheReaderGetsIt()
    {
        await using TransportUnderTest transport = await CreateTransportAsync();
        using var timeout = new CancellationTokenSource(transport.Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = OpenReader(transport, timeout.Token);
        ValueTask<bool> next = reader.MoveNextAsync();
        Assert.False(next.IsCompleted);

        await PublishOneAsync(transport, Payload("e-1"));

        Assert.True(await next);
        Assert.Equal(Payload("e-1"), reader.Current.Payload.ToArray());
    }

    [Fact]
    public async Task GivenAReaderWaitingForMore_WhenItsTokenIsCancelled_ThenTheReadIsCancelled()
    {
        await using TransportUnderTest transport = await CreateTransportAsync();
        using var cancel = new CancellationTokenSource(transport.Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = await ReadPublishedPlayAsync(transport, cancel.Token);
        ValueTask<bool> next = reader.MoveNextAsync();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact]
    public async Task GivenAReceivedMessage_WhenAcknowledgedTwice_ThenNeitherAckFails()
    {
        await using TransportUnderTest transport = await CreateTransportAsync();
        using var timeout = new CancellationTokenSource(transport.Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = await ReadPublishedPlayAsync(transport, timeout.Token);

        await reader.Current.AckAsync(CancellationToken.None);
        await reader.Current.AckAsync(CancellationToken.None);
    }
}
