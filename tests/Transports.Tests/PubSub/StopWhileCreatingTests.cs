using Grpc.Core;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// A stop (SIGTERM) that comes while a reader is still creating its subscription with <c>CreateMissing</c> is a stop,
/// not a failure (DESIGN.md "Failure, exit codes and readiness": exit 0): the read ends cancelled, and the call the
/// stop cut short is not reported as a failed creation.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class StopWhileCreatingTests(PubSubEmulatorFixture emulator)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GivenAReaderCreatingItsSubscription_WhenItIsStoppedMidCall_ThenTheReadEndsCancelledNotFailed()
    {
        PubSubTransportOptions options = emulator.Options(emulator.UniqueName("plays"), emulator.UniqueName("pipeline"));
        // The first CreateSubscription is held until its caller cancels it; then gRPC ends it as Cancelled.
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new BeforeFirstCreateSubscription(cancelled =>
        {
            reached.TrySetResult();
            return Task.Delay(Timeout.Infinite, cancelled).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        });
        using var connection = new PubSubConnection(options, TimeProvider.System, environment: _ => null, interceptor: held);
        using var stop = new CancellationTokenSource();

        Task reading = ReadAllAsync(connection.CreateSubscriber(options.Subscription, options.Topic), stop.Token);
        await reached.Task.WaitAsync(Patience);
        await stop.CancelAsync();

        Exception? ended = await Record.ExceptionAsync(() => reading.WaitAsync(Patience));
        var stopped = Assert.IsAssignableFrom<OperationCanceledException>(ended);
        Assert.Equal(StatusCode.Cancelled, Assert.IsType<RpcException>(stopped.InnerException).StatusCode);
    }

    private static async Task ReadAllAsync(PubSubSubscriber source, CancellationToken cancellationToken)
    {
        await foreach (IReceivedMessage message in source.ReadAllAsync(cancellationToken))
        {
            await message.AckAsync(CancellationToken.None);
        }
    }
}
