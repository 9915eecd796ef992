using System.ComponentModel.DataAnnotations;

namespace ListeningTogether.Transports.PubSub;

/// <summary>Settings of <c>Transport:PubSub</c>: Google Cloud Pub/Sub over gRPC, or its emulator.</summary>
public sealed class PubSubTransportOptions
{
    public const string Section = "Transport:PubSub";

    /// <summary>Pub/Sub names: 3-255 characters, a letter first, then letters, digits and <c>-_.~+%</c>.</summary>
    internal const string NamePattern = @"^(?!goog)[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$";

    [Required]
    [RegularExpression(@"^[A-Za-z0-9][A-Za-z0-9\-.:]{0,99}$", ErrorMessage = "The field ProjectId must be a Google Cloud project id (letters, digits, '-', '.', ':').")]
    public string ProjectId { get; set; } = "";

    /// <summary>Where plays are published (and what the subscription reads).</summary>
    [Required]
    [RegularExpression(NamePattern, ErrorMessage = "The field Topic must be a Pub/Sub name: 3-255 characters, a letter first, then letters, digits or -_.~+%, not starting with 'goog'.")]
    public string Topic { get; set; } = "plays";

    /// <summary>The pipeline's subscription on <see cref="Topic"/>.</summary>
    [Required]
    [RegularExpression(NamePattern, ErrorMessage = "The field Subscription must be a Pub/Sub name: 3-255 characters, a letter first, then letters, digits or -_.~+%, not starting with 'goog'.")]
    public string Subscription { get; set; } = "plays-pipeline";

    /// <summary><c>host:port</c> of the emulator (plain HTTP/2, no credentials); else the environment's PUBSUB_EMULATOR_HOST; else the real service with Application Default Credentials.</summary>
    [RegularExpression(@"^[A-Za-z0-9.\-]+:[0-9]{1,5}$|^\[[0-9A-Fa-f:.]+\]:[0-9]{1,5}$", ErrorMessage = "The field EmulatorHost must be host:port, e.g. 127.0.0.1:8085.")]
    public string? EmulatorHost { get; set; }

    /// <summary>StreamingPull streams the subscriber keeps open at once (the emulator serves about 1,900 messages/s per stream).</summary>
    [Range(1, 64)]
    public int Streams { get; set; } = 4;

    /// <summary>
    /// Received but not yet acknowledged messages before the subscriber stops reading. The pipeline holds an
    /// eligible play until its window is emitted (about WindowMs + AllowedLatenessMs), so this must exceed the
    /// rate times that span or the stream stalls until the idle flush.
    /// </summary>
    [Range(100, 10_000_000)]
    public int MaxOutstandingMessages { get; set; } = 200_000;

    /// <summary>As <see cref="MaxOutstandingMessages"/>, in payload bytes.</summary>
    [Range(1_048_576, 17_179_869_184)]
    public long MaxOutstandingBytes { get; set; } = 268_435_456;

    /// <summary>Ack deadline of the streams (and of subscriptions this transport creates); held messages are extended before it passes.</summary>
    [Range(10, 600)]
    public int AckDeadlineSeconds { get; set; } = 30;

    /// <summary>A publish request is sent once it holds this many messages ...</summary>
    [Range(1, 1000)]
    public int PublishBatchCount { get; set; } = 1000;

    /// <summary>... or this many payload bytes ...</summary>
    [Range(1, 9_000_000)]
    public int PublishBatchBytes { get; set; } = 1_000_000;

    /// <summary>... or when its first message has waited this long.</summary>
    [Range(0, 10_000)]
    public int PublishBatchDelayMs { get; set; } = 10;

    /// <summary>Publish requests in flight at once (each ordering key stays on one of them, so its order holds).</summary>
    [Range(1, 64)]
    public int PublishConcurrency { get; set; } = 8;

    /// <summary>Ordering key of published plays: none, or the play's trackId (the subscription then needs message ordering).</summary>
    public OrderingKeyUsage OrderingKey { get; set; } = OrderingKeyUsage.None;

    /// <summary>Attribute holding a message's event time (RFC 3339 or epoch milliseconds), as Beam's timestampAttribute; published plays carry it too.</summary>
    [RegularExpression(@"^(?!goog)[A-Za-z0-9\-_.]{1,256}$", ErrorMessage = "The field TimestampAttribute must be an attribute name (letters, digits, '-', '_', '.'; not starting with 'goog').")]
    public string? TimestampAttribute { get; set; }

    /// <summary>Attribute holding a message's event id for deduplication, as Beam's idAttribute; published plays carry it too.</summary>
    [RegularExpression(@"^(?!goog)[A-Za-z0-9\-_.]{1,256}$", ErrorMessage = "The field IdAttribute must be an attribute name (letters, digits, '-', '_', '.'; not starting with 'goog').")]
    public string? IdAttribute { get; set; }

    /// <summary>Create the topic and subscription when they are missing (for development and the emulator).</summary>
    public bool CreateMissing { get; set; }

    /// <summary>How long a StreamingPull stream is read before another one takes its place (not a setting; tests shorten it).</summary>
    internal TimeSpan StreamLifetime { get; set; } = StreamingPullStream.DefaultLifetime;

    /// <summary>Scale-out: shard topics <c>RepartitionTopic-shard-K</c>, K in [0, ShardCount).</summary>
    [Range(1, 1024)]
    public int ShardCount { get; set; } = 1;

    [Required]
    [RegularExpression(NamePattern, ErrorMessage = "The field RepartitionTopic must be a Pub/Sub name: 3-255 characters, a letter first, then letters, digits or -_.~+%, not starting with 'goog'.")]
    [MaxLength(240)]
    public string RepartitionTopic { get; set; } = "plays-by-track";

    [Required]
    [RegularExpression(NamePattern, ErrorMessage = "The field ResultsTopic must be a Pub/Sub name: 3-255 characters, a letter first, then letters, digits or -_.~+%, not starting with 'goog'.")]
    public string ResultsTopic { get; set; } = "coplays";

    /// <summary>
    /// Scale-out: the shard this match replica consumes. Unset, it is the ordinal at the end of the host name
    /// (a StatefulSet pod <c>match-2</c> has shard 2), or 0.
    /// </summary>
    [Range(0, 1023)]
    public int? ShardIndex { get; set; }

    /// <summary>Scale-out: the prefix of the site replicas' results subscriptions, one each: <c>ResultsSubscription-REPLICA</c>.</summary>
    [Required]
    [RegularExpression(NamePattern, ErrorMessage = "The field ResultsSubscription must be a Pub/Sub name: 3-255 characters, a letter first, then letters, digits or -_.~+%, not starting with 'goog'.")]
    public string ResultsSubscription { get; set; } = "coplays-site";
}
