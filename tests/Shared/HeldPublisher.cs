using ListeningTogether.Abstractions;

namespace ListeningTogether.Tests.Shared;

/// <summary>
/// A keyed publisher that takes every message but holds each flush until <see cref="Release"/>, saying meanwhile
/// whatever the test sets as its <see cref="Problem"/>: a transport that is down, as Pub/Sub's publisher is while it
/// retries by itself.
/// </summary>
internal sealed class HeldPublisher : IKeyedPublisher, IPublisherStatus
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _problem;

    public string? Problem
    {
        get => _problem;
        set => _problem = value;
    }

    /// <summary>Done once released.</summary>
    public Task Held => _released.Task;

    public void Release() => _released.TrySetResult();

    public ValueTask PublishAsync(string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask FlushAsync(CancellationToken cancellationToken) => new(_released.Task.WaitAsync(cancellationToken));
}
