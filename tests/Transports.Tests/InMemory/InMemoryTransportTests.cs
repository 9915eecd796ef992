using System.ComponentModel.DataAnnotations;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace ListeningTogether.Transports.Tests.InMemory;

/// <summary>The in-process transport: bounded channel with backpressure, its counts, and what it stamps on messages.</summary>
public sealed class InMemoryTransportTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 14, 3, 22, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(Start);

    private InMemoryTransport CreateSut(int capacity = 16) => new(new InMemoryTransportOptions { Capacity = capacity }, _clock);

    private static byte[] Payload(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<IReceivedMessage> ReadOneAsync(InMemoryTransport transport)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = transport.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await reader.MoveNextAsync());
        return reader.Current;
    }

    [Fact]
    public async Task GivenCapacityOne_WhenASecondPlayIsPublished_ThenItWaitsUntilTheFirstIsRead()
    {
        InMemoryTransport transport = CreateSut(capacity: 1);
        await transport.PublishAsync(Payload("first"), CancellationToken.None);

        ValueTask second = transport.PublishAsync(Payload("second"), CancellationToken.None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted, "the second publish finished while the channel was full");
        Assert.Equal(1, transport.Published);

        IReceivedMessage first = await ReadOneAsync(transport);
        await second.AsTask().WaitAsync(Patience);

        Assert.Equal("first", Encoding.UTF8.GetString(first.Payload.Span));
        Assert.Equal(2, transport.Published);
        Assert.True(transport.TryRead(out IReceivedMessage? next));
        Assert.Equal("second", Encoding.UTF8.GetString(next!.Payload.Span));
    }

    [Fact]
    public async Task GivenAFullChannel_WhenAPublishIsCancelled_ThenItThrowsAndIsNotCounted()
    {
        InMemoryTransport transport = CreateSut(capacity: 1);
        await transport.PublishAsync(Payload("first"), CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        ValueTask blocked = transport.PublishAsync(Payload("second"), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await blocked);
        Assert.Equal(1, transport.Published);
        transport.Complete();
        Assert.True(transport.TryRead(out _));
        Assert.False(transport.TryRead(out _));
    }

    [Fact]
    public async Task GivenPublishedPlays_WhenComplete_ThenTheReaderGetsThemAllAndThenEnds()
    {
        InMemoryTransport transport = CreateSut();
        await transport.PublishAsync(Payload("a"), CancellationToken.None);
        await transport.PublishAsync(Payload("b"), CancellationToken.None);

        transport.Complete();

        using var timeout = new CancellationTokenSource(Patience);
        var read = new List<string>();
        await foreach (IReceivedMessage message in transport.ReadAllAsync(timeout.Token))
        {
            read.Add(Encoding.UTF8.GetString(message.Payload.Span));
        }

        Assert.Equal(["a", "b"], read);
    }

    [Fact]
    public async Task GivenAReaderWaiting_WhenComplete_ThenItsStreamEnds()
    {
        InMemoryTransport transport = CreateSut();
        using var timeout = new CancellationTokenSource(Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = transport.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        ValueTask<bool> next = reader.MoveNextAsync();

        transport.Complete();

        Assert.False(await next);
    }

    [Fact]
    public async Task GivenACompletedEmptyTransport_WhenRead_ThenTheStreamEndsAtOnce()
    {
        InMemoryTransport transport = CreateSut();
        transport.Complete();

        using var timeout = new CancellationTokenSource(Patience);
        await using IAsyncEnumerator<IReceivedMessage> reader = transport.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.False(await reader.MoveNextAsync());
    }

    [Fact]
    public void GivenCompleteCalledTwice_WhenCalled_ThenTheSecondCallIsHarmless()
    {
        InMemoryTransport transport = CreateSut();

        transport.Complete();
        transport.Complete();

        Assert.False(transport.TryRead(out IReceivedMessage? message));
        Assert.Null(message);
    }

    [Fact]
    public async Task GivenAMessageAckedTwice_WhenCounted_ThenItCountsOnce()
    {
        InMemoryTransport transport = CreateSut();
        await transport.PublishAsync(Payload("a"), CancellationToken.None);
        await transport.PublishAsync(Payload("b"), CancellationToken.None);
        Assert.True(transport.TryRead(out IReceivedMessage? a));
        Assert.True(transport.TryRead(out IReceivedMessage? b));

        await a!.AckAsync(CancellationToken.None);
        await a.AckAsync(CancellationToken.None);
        Assert.Equal(1, transport.Acked);

        await b!.AckAsync(CancellationToken.None);
        Assert.Equal(2, transport.Acked);
        Assert.Equal(2, transport.Published);
    }

    [Fact]
    public async Task GivenAnAckedMessage_WhenMorePlaysArePublished_ThenEachCarriesItsOwnPayloadAndAcksCountOnce()
    {
        InMemoryTransport transport = CreateSut();
        byte[] large = Encoding.UTF8.GetBytes(new string('x', 2000));
        await transport.PublishAsync(Payload("first"), CancellationToken.None);
        Assert.True(transport.TryRead(out IReceivedMessage? first));
        await first!.AckAsync(CancellationToken.None);

        await transport.PublishAsync(Payload("second, a longer payload than the first"), CancellationToken.None);
        await transport.PublishAsync(large, CancellationToken.None);
        await transport.PublishAsync(Payload("4th"), CancellationToken.None);

        var read = new List<string>();
        while (transport.TryRead(out IReceivedMessage? message))
        {
            read.Add(Encoding.UTF8.GetString(message!.Payload.Span));
            await message.AckAsync(CancellationToken.None);
        }

        Assert.Equal(["second, a longer payload than the first", Encoding.UTF8.GetString(large), "4th"], read);
        Assert.Equal(4, transport.Acked);
    }

    [Fact]
    public async Task GivenACallerThatReusesItsBuffer_WhenItPublishesAgain_ThenTheFirstMessageKeepsItsPayload()
    {
        InMemoryTransport transport = CreateSut();
        byte[] buffer = Payload("first");
        await transport.PublishAsync(buffer, CancellationToken.None);
        Payload("again").CopyTo(buffer, 0);
        await transport.PublishAsync(buffer, CancellationToken.None);

        Assert.True(transport.TryRead(out IReceivedMessage? first));
        Assert.True(transport.TryRead(out IReceivedMessage? second));
        Assert.Equal("first", Encoding.UTF8.GetString(first!.Payload.Span));
        Assert.Equal("again", Encoding.UTF8.GetString(second!.Payload.Span));
    }

    [Fact]
    public async Task GivenMessagesAckedFromManyThreads_WhenCounted_ThenEachCountsOnce()
    {
        InMemoryTransport transport = CreateSut(capacity: 1000);
        var messages = new List<IReceivedMessage>();
        for (int i = 0; i < 100; i++)
        {
            await transport.PublishAsync(Payload("p" + i), CancellationToken.None);
            Assert.True(transport.TryRead(out IReceivedMessage? m));
            messages.Add(m!);
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            foreach (IReceivedMessage m in messages)
            {
                await m.AckAsync(CancellationToken.None);
            }
        })));

        Assert.Equal(100, transport.Acked);
    }

    [Fact]
    public async Task GivenAPlayPublishedAtSomeTime_WhenRead_ThenItCarriesThatReceiveTimeAndTheInMemorySource()
    {
        InMemoryTransport transport = CreateSut();
        _clock.Advance(TimeSpan.FromMilliseconds(431));
        await transport.PublishAsync(Payload("a"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(5));

        IReceivedMessage message = await ReadOneAsync(transport);

        Assert.Equal(Start.AddMilliseconds(431), message.ReceivedAt);
        Assert.Equal("inmemory", message.Source);
    }

    [Fact]
    public void GivenNothingPublished_WhenTryRead_ThenItReturnsFalseWithoutWaiting()
    {
        InMemoryTransport transport = CreateSut();

        Assert.False(transport.TryRead(out IReceivedMessage? message));
        Assert.Null(message);
        Assert.Equal(0, transport.Published);
        Assert.Equal(0, transport.Acked);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000_001)]
    public void GivenACapacityOutOfRange_WhenValidated_ThenItNamesCapacityAndItsRange(int capacity)
    {
        var options = new InMemoryTransportOptions { Capacity = capacity };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));

        ValidationResult result = Assert.Single(results);
        Assert.Equal("The field Capacity must be between 1 and 10000000.", result.ErrorMessage);
        Assert.Equal(["Capacity"], result.MemberNames);
    }

    [Fact]
    public void GivenDefaultOptions_WhenRead_ThenCapacityIsOneHundredThousand()
    {
        Assert.Equal(100_000, new InMemoryTransportOptions().Capacity);
    }
}
