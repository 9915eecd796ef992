using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.Tests.Contract;

/// <summary>
/// What the pipeline relies on from any transport: published payloads come back whole and in order, each with a
/// source and a receive time, and a message can be acknowledged. Subclassed per adapter.
/// </summary>
public abstract class PlayTransportContractTests
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>A fresh transport: where plays are published, where they are read, and how the stream is ended.</summary>
    protected abstract (IPlayPublisher Publisher, IPlaySource Source, Action Complete) CreateTransport();

    protected static byte[] Payload(string eventId) =>
        Encoding.UTF8.GetBytes("{\"eventId\":\"" + eventId + "\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":1795701802431}");

    protected static async Task<List<IReceivedMessage>> ReadAllAsync(IPlaySource source)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var messages = new List<IReceivedMessage>();
        await foreach (IReceivedMessage message in source.ReadAllAsync(timeout.Token))
        {
            messages.Add(message);
        }

        return messages;
    }

    [Fact]
    public async Task GivenThreePublishedPlays_WhenReadAfterCompletion_ThenTheyComeBackWholeAndInOrder()
    {
        var (publisher, source, complete) = CreateTransport();

        foreach (string id in new[] { "e-1", "e-2", "e-3" })
        {
            await publisher.PublishAsync(Payload(id), CancellationToken.None);
        }

        complete();
        List<IReceivedMessage> messages = await ReadAllAsync(source);

        Assert.Equal(
            new[] { "e-1", "e-2", "e-3" }.Select(id => Encoding.UTF8.GetString(Payload(id))),
            messages.Select(m => Encoding.UTF8.GetString(m.Payload.Span)));
    }

    [Fact]
    public async Task GivenACompletedEmptyTransport_WhenRead_ThenTheStreamEndsAtOnce()
    {
        var (_, source, complete) = CreateTransport();

        complete();

        Assert.Empty(await ReadAllAsync(source));
    }

    [Fact]
    public async Task GivenAReaderWaitingOnAnEmptyTransport_WhenAPlayIsPublished_ThenTheReaderGetsIt()
    {
        var (publisher, source, _) = CreateTransport();
        using var timeout = new CancellationTokenSource(Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = source.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        ValueTask<bool> next = reader.MoveNextAsync();
        Assert.False(next.IsCompleted);

        await publisher.PublishAsync(Payload("e-1"), CancellationToken.None);

        Assert.True(await next);
        Assert.Equal(Payload("e-1"), reader.Current.Payload.ToArray());
    }

    [Fact]
    public async Task GivenAReaderWaitingOnAnEmptyTransport_WhenItsTokenIsCancelled_ThenTheReadIsCancelled()
    {
        var (_, source, _) = CreateTransport();
        using var cancel = new CancellationTokenSource();
        await using IAsyncEnumerator<IReceivedMessage> reader = source.ReadAllAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        ValueTask<bool> next = reader.MoveNextAsync();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact]
    public async Task GivenAReceivedMessage_WhenAcknowledgedTwice_ThenNeitherAckFails()
    {
        var (publisher, source, complete) = CreateTransport();
        await publisher.PublishAsync(Payload("e-1"), CancellationToken.None);
        complete();
        IReceivedMessage message = Assert.Single(await ReadAllAsync(source));

        await message.AckAsync(CancellationToken.None);
        await message.AckAsync(CancellationToken.None);
    }
}
