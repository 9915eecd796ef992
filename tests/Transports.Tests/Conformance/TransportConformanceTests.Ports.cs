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

    [Fact]
    public async Task GivenAPublishedPlay_WhenRead_ThenItComesBackWholeWithASourceAndAReceiveTime()
    {
        await using TransportUnderTest transport = await CreateTransportAsync();
        await PublishOneAsync(transport, Payload("e-1"));
        using var timeout = new CancellationTokenSource(transport.Patience);

        await using IAsyncEnumerator<IReceivedMessage> reader = transport.OpenSource().ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await reader.MoveNextAsync());
        Assert.Equal(Payload("e-1"), reader.Current.Payload.ToArray());
        Assert.False(string.IsNullOrEmpty(reader.Current.Source));
        Assert.NotEqual(default, reader.Current.ReceivedAt);
    }

    [Fact]
    public async Task GivenAReaderWaitingOnAnEmptyTransport_WhenAPlayIsPublished_ThenTheReaderGetsIt()
    {
        await using TransportUnderTest transport = await CreateTransportAsync();
        using var timeout = new CancellationTokenSource(transport.Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = transport.OpenSource().ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
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
        await PublishOneAsync(transport, Payload("e-1"));
        using var cancel = new CancellationTokenSource(transport.Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = transport.OpenSource().ReadAllAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await reader.MoveNextAsync());
        ValueTask<bool> next = reader.MoveNextAsync();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact]
    public async Task GivenAReceivedMessage_WhenAcknowledgedTwice_ThenNeitherAckFails()
    {
        await using TransportUnderTest transport = await CreateTransportAsync();
        using var timeout = new CancellationTokenSource(transport.Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = transport.OpenSource().ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        ValueTask<bool> next = reader.MoveNextAsync();
        await PublishOneAsync(transport, Payload("e-1"));
        Assert.True(await next);

        await reader.Current.AckAsync(CancellationToken.None);
        await reader.Current.AckAsync(CancellationToken.None);
    }
}
