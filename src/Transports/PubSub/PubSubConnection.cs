using System.Collections.Concurrent;
using Google.Apis.Auth.OAuth2;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using ListeningTogether.Transports.PubSub.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// One gRPC channel to Pub/Sub (or its emulator) for a project, and the factory of publishers and subscribers on
/// it. Topic and subscription names are arguments, so the same types serve the plays topic, the repartition shard
/// topics and the results topic. With <c>CreateMissing</c> a topic or subscription is created before its first use,
/// and again when the service has lost it (an emulator that restarted keeps nothing).
/// </summary>
internal sealed class PubSubConnection : IDisposable
{
    private readonly PubSubTransportOptions _options;
    private readonly GrpcChannel _channel;
    private readonly Publisher.PublisherClient _publisher;
    private readonly Subscriber.SubscriberClient _subscriber;
    private readonly TimeProvider _clock;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Lazy<Task<GoogleCredential>> _credential;
    private readonly ConcurrentDictionary<string, SubscriptionGeneration> _generations = new(StringComparer.Ordinal);

    /// <param name="interceptor">Sees every call before the service does; for tests that make the service change under a call.</param>
    public PubSubConnection(PubSubTransportOptions options, TimeProvider clock, ILoggerFactory? loggers = null, Func<string, string?>? environment = null, Interceptor? interceptor = null)
    {
        _options = options;
        _clock = clock;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<PubSubConnection>();
        EmulatorHost = PubSubChannel.EmulatorHost(options, environment ?? Environment.GetEnvironmentVariable);
        _credential = new Lazy<Task<GoogleCredential>>(LoadCredentialAsync);
        _channel = PubSubChannel.Create(EmulatorHost, _ => _credential.Value);
        CallInvoker calls = interceptor is null ? _channel.CreateCallInvoker() : _channel.Intercept(interceptor);
        _publisher = new Publisher.PublisherClient(calls);
        _subscriber = new Subscriber.SubscriberClient(calls);
        PubSubLog.Connected(_logger, EmulatorHost ?? PubSubChannel.ServiceAddress, EmulatorHost is null ? "Application Default Credentials" : "emulator, no credentials");
    }

    /// <summary>Pub/Sub's shortest expiration policy: a reader's own subscription left unread this long is deleted by the service.</summary>
    public static readonly TimeSpan OwnSubscriptionTtl = TimeSpan.FromDays(1);

    private const int TopicLossAttempts = 3;

    public string ProjectId => _options.ProjectId;

    /// <summary>The emulator's host:port, or null when this talks to the real service.</summary>
    public string? EmulatorHost { get; }

    public string TopicName(string topic) => $"projects/{_options.ProjectId}/topics/{topic}";

    public string SubscriptionName(string subscription) => $"projects/{_options.ProjectId}/subscriptions/{subscription}";

    /// <summary>
    /// A publisher of plays to <paramref name="topic"/> (a short name), batching and keying them by the settings.
    /// With <c>CreateMissing</c> it also creates <paramref name="subscription"/> before the first send, so the
    /// first plays are not published to a topic nobody subscribes to yet.
    /// </summary>
    public PubSubPublisher CreatePublisher(string topic, string? subscription = null) => CreatePublisher(topic, PlayMessageShaper.From(_options), subscription: subscription);

    /// <summary>A publisher to <paramref name="topic"/> that adds no ordering key or attributes of its own.</summary>
    public PubSubPublisher CreateRawPublisher(string topic) => CreatePublisher(topic, PlayMessageShaper.None);

    /// <summary>A play source on <paramref name="subscription"/> (a short name) of <paramref name="topic"/>.</summary>
    public PubSubSubscriber CreateSubscriber(string subscription, string topic) =>
        CreateSubscriber(subscription, topic, SubscriberSettings.From(_options));

    /// <summary>
    /// A play source on a subscription of the reader's own (a site replica's): created at the first read whatever
    /// <c>CreateMissing</c> says (its topic only with it), expiring after <see cref="OwnSubscriptionTtl"/> unread,
    /// created again when lost, and deleted when the read is cancelled (a clean stop).
    /// </summary>
    public PubSubSubscriber CreateOwnSubscriber(string subscription, string topic)
    {
        string name = SubscriptionName(subscription);
        var resources = new MissingResources(ct => EnsureOwnSubscriptionAsync(subscription, topic, ct));
        return new PubSubSubscriber(_subscriber, name, SubscriberSettings.From(_options), resources, GenerationOf(name), _clock, _loggers.CreateLogger<PubSubSubscriber>(), ct => DeleteSubscriptionAsync(subscription, ct));
    }

    internal PubSubSubscriber CreateSubscriber(string subscription, string topic, SubscriberSettings settings)
    {
        string name = SubscriptionName(subscription);
        var resources = _options.CreateMissing ? new MissingResources(ct => EnsureSubscriptionAsync(subscription, topic, ct)) : MissingResources.None;
        return new PubSubSubscriber(_subscriber, name, settings, resources, GenerationOf(name), _clock, _loggers.CreateLogger<PubSubSubscriber>());
    }

    internal PubSubPublisher CreatePublisher(string topic, PlayMessageShaper shaper, PublisherSettings? settings = null, string? subscription = null)
    {
        MissingResources resources = !_options.CreateMissing ? MissingResources.None
            : subscription is null ? new MissingResources(ct => EnsureTopicAsync(topic, ct))
            : new MissingResources(ct => EnsureSubscriptionAsync(subscription, topic, ct));
        return new PubSubPublisher(_publisher, TopicName(topic), settings ?? PublisherSettings.From(_options), shaper, resources, _clock, _loggers.CreateLogger<PubSubPublisher>());
    }

    /// <summary>Creates <paramref name="topic"/> unless it exists.</summary>
    public async Task EnsureTopicAsync(string topic, CancellationToken cancellationToken)
    {
        string name = TopicName(topic);
        try
        {
            await RetryingCall.RunAsync(async ct => await _publisher.CreateTopicAsync(new Topic { Name = name }, cancellationToken: ct).ConfigureAwait(false), _clock, (e, d, failures) => PubSubLog.Retry(_logger, "CreateTopic", e, d, failures), cancellationToken).ConfigureAwait(false);
            PubSubLog.Created(_logger, "topic", name);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            // Someone else made it first.
        }
        catch (RpcException e)
        {
            throw Failure($"Creating topic {name}", e, cancellationToken);
        }
    }

    /// <summary>Creates <paramref name="topic"/> and <paramref name="subscription"/> on it unless they exist.</summary>
    public Task EnsureSubscriptionAsync(string subscription, string topic, CancellationToken cancellationToken) =>
        CreateSubscriptionAndTopicAsync(subscription, topic, expiration: null, cancellationToken);

    /// <summary>
    /// Creates a reader's own <paramref name="subscription"/> unless it exists, with an expiration policy of
    /// <see cref="OwnSubscriptionTtl"/>; its topic only with <c>CreateMissing</c>.
    /// </summary>
    public async Task EnsureOwnSubscriptionAsync(string subscription, string topic, CancellationToken cancellationToken)
    {
        var expiration = new ExpirationPolicy { Ttl = Duration.FromTimeSpan(OwnSubscriptionTtl) };
        if (_options.CreateMissing)
        {
            await CreateSubscriptionAndTopicAsync(subscription, topic, expiration, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await CreateSubscriptionAsync(subscription, topic, expiration, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes <paramref name="subscription"/>; one that is already gone is no failure.</summary>
    public async Task DeleteSubscriptionAsync(string subscription, CancellationToken cancellationToken)
    {
        string name = SubscriptionName(subscription);
        try
        {
            await _subscriber.DeleteSubscriptionAsync(new DeleteSubscriptionRequest { Subscription = name }, cancellationToken: cancellationToken).ConfigureAwait(false);
            PubSubLog.Deleted(_logger, name);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // Gone already (expired, or deleted by someone else).
        }
        catch (RpcException e)
        {
            throw Failure($"Deleting subscription {name}", e, cancellationToken);
        }
    }

    public void Dispose() => _channel.Dispose();

    internal Publisher.PublisherClient PublisherClient => _publisher;

    internal Subscriber.SubscriberClient SubscriberClient => _subscriber;

    /// <summary>
    /// Creates <paramref name="topic"/> and then <paramref name="subscription"/> on it unless they exist. A topic that
    /// vanishes between the two calls (a service losing everything while a reader recreates what it lost) is created
    /// again, up to <see cref="TopicLossAttempts"/> times.
    /// </summary>
    private async Task CreateSubscriptionAndTopicAsync(string subscription, string topic, ExpirationPolicy? expiration, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            await EnsureTopicAsync(topic, cancellationToken).ConfigureAwait(false);
            try
            {
                await CreateSubscriptionAsync(subscription, topic, expiration, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PubSubException e) when (attempt < TopicLossAttempts && e.InnerException is RpcException { StatusCode: StatusCode.NotFound })
            {
                PubSubLog.TopicVanished(_logger, TopicName(topic), SubscriptionName(subscription), attempt);
            }
        }
    }

    private async Task CreateSubscriptionAsync(string subscription, string topic, ExpirationPolicy? expiration, CancellationToken cancellationToken)
    {
        string name = SubscriptionName(subscription);
        var request = new Subscription
        {
            Name = name,
            Topic = TopicName(topic),
            AckDeadlineSeconds = _options.AckDeadlineSeconds,
            EnableMessageOrdering = _options.OrderingKey != OrderingKeyUsage.None,
            ExpirationPolicy = expiration,
        };
        try
        {
            await RetryingCall.RunAsync(async ct => await _subscriber.CreateSubscriptionAsync(request, cancellationToken: ct).ConfigureAwait(false), _clock, (e, d, failures) => PubSubLog.Retry(_logger, "CreateSubscription", e, d, failures), cancellationToken).ConfigureAwait(false);

            // A new subscription: messages a reader of this process still holds from an earlier one went with that one.
            GenerationOf(name).Advance();
            PubSubLog.Created(_logger, "subscription", name);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            // Someone else made it first.
        }
        catch (RpcException e)
        {
            throw Failure($"Creating subscription {name} on {TopicName(topic)}", e, cancellationToken);
        }
    }

    /// <summary>What a failed administrative call is to its caller: a call cut by the caller's own cancellation is a stop, not a failure.</summary>
    private static Exception Failure(string call, RpcException e, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? new OperationCanceledException($"{call} was cancelled", e, cancellationToken)
            : new PubSubException($"{call} failed: {e.StatusCode}: {e.Status.Detail}", e);

    /// <summary>The life of <paramref name="subscription"/> (a full name) that this process's readers receive in.</summary>
    internal SubscriptionGeneration GenerationOf(string subscription) => _generations.GetOrAdd(subscription, _ => new SubscriptionGeneration());

    private async Task<GoogleCredential> LoadCredentialAsync()
    {
        try
        {
            GoogleCredential credential = await GoogleCredential.GetApplicationDefaultAsync().ConfigureAwait(false);
            return credential.CreateScoped(PubSubChannel.Scope);
        }
        catch (InvalidOperationException e)
        {
            throw new PubSubException(
                $"No Application Default Credentials for Pub/Sub (set GOOGLE_APPLICATION_CREDENTIALS, or Transport:PubSub:EmulatorHost / {PubSubChannel.EmulatorVariable} for the emulator): {e.Message}", e);
        }
    }
}
