using Grpc.Core;
using Grpc.Core.Interceptors;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;
using ListeningTogether.Transports.PubSub.V1;

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
        var held = new CreateSubscriptionHeldUntilCancelled();
        using var connection = new PubSubConnection(options, TimeProvider.System, environment: _ => null, interceptor: held);
        using var stop = new CancellationTokenSource();

        Task reading = ReadAllAsync(connection.CreateSubscriber(options.Subscription, options.Topic), stop.Token);
        await held.Reached.WaitAsync(Patience);
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

    /// <summary>Holds the first CreateSubscription call until its caller cancels it, then lets gRPC end it as Cancelled.</summary>
    private sealed class CreateSubscriptionHeldUntilCancelled : Interceptor
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request,
            ClientInterceptorContext<TRequest, TResponse> context,
            AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            if (request is not Subscription || !_reached.TrySetResult())
            {
                return continuation(request, context);
            }

            Task<TResponse> response = CallOnceCancelledAsync(request, context, continuation);
            return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        private static async Task<TResponse> CallOnceCancelledAsync<TRequest, TResponse>(
            TRequest request,
            ClientInterceptorContext<TRequest, TResponse> context,
            AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
            where TRequest : class
            where TResponse : class
        {
            CancellationToken cancelled = context.Options.CancellationToken;
            await Task.Delay(Timeout.Infinite, cancelled).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            using AsyncUnaryCall<TResponse> call = continuation(request, context);
            return await call.ResponseAsync;
        }
    }
}
