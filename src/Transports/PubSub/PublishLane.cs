using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// One sequential sender of a publisher: buffers messages, cuts a batch at the count, byte or delay limit, sends
/// it (one request per ordering key, since Pub/Sub wants one key per request) and only then takes the next batch,
/// so the messages of a key that always lands on this lane stay in order. Transient failures are retried with
/// backoff in place, and a topic found gone is created again first when <c>CreateMissing</c> allows; any other
/// permanent failure fails the lane and every later publish or flush.
/// </summary>
internal sealed class PublishLane
{
    private readonly Publisher.PublisherClient _client;
    private readonly string _topic;
    private readonly PublisherSettings _settings;
    private readonly MissingResources _resources;
    private readonly int _index;
    private readonly PublishHealth _health;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Channel<PubsubMessage> _pending;
    private readonly Lock _lock = new();
    private readonly List<PubsubMessage> _batch = [];
    private readonly Task _loop;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _enqueued;
    private long _done;
    private readonly PublishFailure _failure;
    private volatile bool _flushRequested;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PublishLane(int index, Publisher.PublisherClient client, string topic, PublisherSettings settings, PublishFailure failure, PublishHealth health, MissingResources resources, TimeProvider clock, ILogger logger, CancellationToken stopping)
    {
        _index = index;
        _health = health;
        _failure = failure;
        _client = client;
        _topic = topic;
        _settings = settings;
        _resources = resources;
        _clock = clock;
        _logger = logger;
        _pending = Channel.CreateBounded<PubsubMessage>(new BoundedChannelOptions(settings.LaneCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _loop = RunAsync(stopping);
    }

    /// <summary>Messages the service has taken (message ids received).</summary>
    public long Published { get; private set; }

    public async ValueTask EnqueueAsync(PubsubMessage message, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        if (!_pending.Writer.TryWrite(message))
        {
            await _pending.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _enqueued);
    }

    /// <summary>Sends what is buffered without waiting for the batch delay and returns once all of it is sent.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        long target = Interlocked.Read(ref _enqueued);
        while (true)
        {
            Task progress;
            lock (_lock)
            {
                ThrowIfFailed();
                if (_done >= target)
                {
                    return;
                }

                progress = _progress.Task;
            }

            RequestFlush();
            await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops taking messages and waits for the loop to send what it has.</summary>
    public async Task CompleteAsync()
    {
        _pending.Writer.TryComplete();
        RequestFlush();
        await _loop.ConfigureAwait(false);
    }

    private void RequestFlush()
    {
        _flushRequested = true;
        Volatile.Read(ref _wake).TrySetResult();
    }

    private void ThrowIfFailed() => _failure.ThrowIfSet();

    private async Task RunAsync(CancellationToken stopping)
    {
        ChannelReader<PubsubMessage> reader = _pending.Reader;
        try
        {
            await Task.Yield();
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                await FillBatchAsync(reader, stopping).ConfigureAwait(false);
                if (_batch.Count > 0)
                {
                    await SendBatchAsync(stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Fail(new OperationCanceledException("the publisher was stopped before these messages were sent"));
        }
        catch (Exception e) when (e is RpcException or PubSubException or InvalidOperationException)
        {
            Fail(e);
        }
    }

    /// <summary>Takes messages until the batch is full, the delay since its first message passes, or a flush asks for it.</summary>
    private async Task FillBatchAsync(ChannelReader<PubsubMessage> reader, CancellationToken stopping)
    {
        _batch.Clear();
        int bytes = 0;
        long deadline = 0;
        while (true)
        {
            while (_batch.Count < _settings.BatchCount && bytes < _settings.BatchBytes && reader.TryRead(out PubsubMessage? message))
            {
                if (_batch.Count == 0)
                {
                    deadline = _clock.GetTimestamp() + (long)(_settings.BatchDelay.TotalSeconds * _clock.TimestampFrequency);
                }

                _batch.Add(message);
                bytes += message.Data.Length;
            }

            if (_batch.Count >= _settings.BatchCount || bytes >= _settings.BatchBytes || _flushRequested || reader.Completion.IsCompleted)
            {
                if (_flushRequested)
                {
                    _flushRequested = false;
                    Volatile.Write(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }

                return;
            }

            TimeSpan left = _clock.GetElapsedTime(_clock.GetTimestamp(), deadline);
            if (_batch.Count > 0 && left <= TimeSpan.Zero)
            {
                return;
            }

            Task wake = Volatile.Read(ref _wake).Task;
            if (_flushRequested)
            {
                continue;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            if (_batch.Count > 0)
            {
                wait.CancelAfter(left);
            }

            Task<bool> readable = reader.WaitToReadAsync(wait.Token).AsTask();
            Task first = await Task.WhenAny(readable, wake).ConfigureAwait(false);
            if (first == wake)
            {
                await wait.CancelAsync().ConfigureAwait(false);
                continue;
            }

            try
            {
                if (!await readable.ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task SendBatchAsync(CancellationToken stopping)
    {
        string key = _batch[0].OrderingKey;
        bool oneKey = _batch.TrueForAll(m => m.OrderingKey == key);
        if (oneKey)
        {
            var request = new PublishRequest { Topic = _topic };
            request.Messages.AddRange(_batch);
            await SendAsync(request, stopping).ConfigureAwait(false);
        }
        else
        {
            var requests = new Dictionary<string, PublishRequest>(StringComparer.Ordinal);
            foreach (PubsubMessage message in _batch)
            {
                if (!requests.TryGetValue(message.OrderingKey, out PublishRequest? request))
                {
                    request = new PublishRequest { Topic = _topic };
                    requests.Add(message.OrderingKey, request);
                }

                request.Messages.Add(message);
            }

            await Task.WhenAll(requests.Values.Select(r => SendAsync(r, stopping))).ConfigureAwait(false);
        }

        lock (_lock)
        {
            _done += _batch.Count;
            _progress.TrySetResult();
            _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _batch.Clear();
    }

    private async Task SendAsync(PublishRequest request, CancellationToken stopping)
    {
        Backoff? lost = null;
        while (true)
        {
            Task ensured = _resources.EnsureAsync(stopping);
            await ensured.ConfigureAwait(false);
            try
            {
                PublishResponse response = await RetryingCall.RunAsync(
                    async ct => await _client.PublishAsync(request, cancellationToken: ct).ConfigureAwait(false),
                    _clock,
                    (e, delay, failures) =>
                    {
                        _health.Failed(_index, $"Pub/Sub topic '{_topic}': {e.StatusCode} ({e.Status.Detail})");
                        PubSubLog.Retry(_logger, "Publish", e, delay, failures);
                    },
                    stopping).ConfigureAwait(false);
                lock (_lock)
                {
                    Published += response.MessageIds.Count;
                }

                _health.Succeeded(_index);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound && _resources.CanCreate && !stopping.IsCancellationRequested)
            {
                // The service lost the topic (an emulator restart): the lanes that saw it create it once, then send on.
                _health.Failed(_index, $"Pub/Sub topic '{_topic}': {e.StatusCode} ({e.Status.Detail}); creating it again");
                if (_resources.Lost(ensured))
                {
                    PubSubLog.TopicLost(_logger, _topic, e.Status.Detail);
                }

                // Only a topic that vanishes again at once waits, longer each time.
                if (lost is null)
                {
                    lost = new Backoff(RetryingCall.InitialBackoff, RetryingCall.MaxBackoff, _clock);
                }
                else
                {
                    await lost.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
        }
    }

    private void Fail(Exception e)
    {
        if (e is RpcException rpc)
        {
            PubSubLog.CallFailed(_logger, "Publish", rpc.StatusCode, rpc.Status.Detail);
        }

        lock (_lock)
        {
            _failure.Set(e);
            _progress.TrySetResult();
        }

        _pending.Writer.TryComplete();
    }

    internal static PubsubMessage ToMessage(in PubSubOutgoingMessage message)
    {
        // Copied now: publishers promise callers they may reuse their buffer at once.
        var m = new PubsubMessage { Data = ByteString.CopyFrom(message.Payload.Span) };
        if (message.OrderingKey is { Length: > 0 } key)
        {
            m.OrderingKey = key;
        }

        if (message.Attributes is { } attributes)
        {
            foreach (KeyValuePair<string, string> attribute in attributes)
            {
                m.Attributes[attribute.Key] = attribute.Value;
            }
        }

        return m;
    }
}
