using Grpc.Core;
using Grpc.Core.Interceptors;
using ListeningTogether.Transports.PubSub.V1;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>
/// A gRPC interceptor that runs a test's step (given the call's cancellation) just before the first
/// CreateSubscription call reaches the service, then makes the call: how a test puts an event of its own into the
/// middle of a subscription's creation. Every other call goes straight through.
/// </summary>
internal sealed class BeforeFirstCreateSubscription(Func<CancellationToken, Task> step) : Interceptor
{
    private int _reached;

    /// <summary>Whether the first CreateSubscription call has come.</summary>
    public bool Reached => Volatile.Read(ref _reached) == 1;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (request is not Subscription || Interlocked.Exchange(ref _reached, 1) != 0)
        {
            return continuation(request, context);
        }

        Task<TResponse> response = StepThenCallAsync(request, context, continuation);
        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    private async Task<TResponse> StepThenCallAsync<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        await step(context.Options.CancellationToken);
        using AsyncUnaryCall<TResponse> call = continuation(request, context);
        return await call.ResponseAsync;
    }
}
