using ListeningTogether.Abstractions;
using ListeningTogether.Transports.EventHubs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>Settings of Transport:EventHubs: validated at start with messages naming the key, secrets never repeated; registration.</summary>
public sealed class EventHubsTransportOptionsTests
{
    private const string HubConnectionString = "Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=c2VjcmV0LWtleQ==";
    private const string StorageConnectionString = "DefaultEndpointsProtocol=https;AccountName=example;AccountKey=c2VjcmV0LXN0b3JhZ2Uta2V5;EndpointSuffix=core.windows.net";

    private static readonly (string, string)[] Valid =
    [
        ("Transport:EventHubs:ConnectionString", HubConnectionString),
        ("Transport:EventHubs:EventHubName", "plays"),
        ("Transport:EventHubs:CheckpointStore:ConnectionString", StorageConnectionString),
        ("Transport:EventHubs:CheckpointStore:Container", "checkpoints"),
    ];

    private static ServiceProvider Build(params (string Key, string? Value)[] settings)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddEventHubsTransport(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static (string, string?)[] With(string key, string? value) =>
        [.. Valid.Where(s => s.Item1 != key).Select(s => (s.Item1, (string?)s.Item2)), (key, value)];

    private static string ValidationError(params (string, string?)[] settings)
    {
        using ServiceProvider provider = Build(settings);
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EventHubsTransportOptions>>().Value).Message;
    }

    [Fact]
    public async Task GivenConnectionStrings_WhenResolved_ThenTheSourceAndPublisherAreTheEventHubsOnesAndNothingConnectsYet()
    {
        await using ServiceProvider provider = Build([.. Valid.Select(s => (s.Item1, (string?)s.Item2))]);

        EventHubsTransportOptions options = provider.GetRequiredService<IOptions<EventHubsTransportOptions>>().Value;
        Assert.IsType<EventHubsPlaySource>(provider.GetRequiredService<IPlaySource>());
        Assert.Same(provider.GetRequiredService<EventHubsPlayPublisher>(), provider.GetRequiredService<IPlayPublisher>());
        EventHubsPlayProcessor processor = provider.GetRequiredService<EventHubsPlayProcessor>();
        Assert.Equal(("example.servicebus.windows.net", "plays", "$Default"), (processor.FullyQualifiedNamespace, processor.EventHubName, processor.ConsumerGroup));
        Assert.Equal(("plays", "example.servicebus.windows.net"), (options.ResolvedEventHubName, options.ResolvedNamespace));
    }

    [Fact]
    public async Task GivenAHubConnectionStringNamingItsHub_WhenResolved_ThenTheHubComesFromItsEntityPath()
    {
        await using ServiceProvider provider = Build(
            With("Transport:EventHubs:ConnectionString", HubConnectionString + ";EntityPath=plays-raw")
                .Where(s => s.Item1 != "Transport:EventHubs:EventHubName").ToArray());

        Assert.Equal("plays-raw", provider.GetRequiredService<EventHubsPlayProcessor>().EventHubName);
    }

    [Fact]
    public async Task GivenANamespaceAndAServiceUri_WhenResolved_ThenTheClientsUseTheCredentialInsteadOfConnectionStrings()
    {
        await using ServiceProvider provider = Build(
            ("Transport:EventHubs:FullyQualifiedNamespace", "example.servicebus.windows.net"),
            ("Transport:EventHubs:EventHubName", "plays"),
            ("Transport:EventHubs:ConsumerGroup", "match"),
            ("Transport:EventHubs:CheckpointStore:ServiceUri", "https://example.blob.core.windows.net"),
            ("Transport:EventHubs:CheckpointStore:Container", "checkpoints"));

        EventHubsPlayProcessor processor = provider.GetRequiredService<EventHubsPlayProcessor>();
        Assert.Equal(("example.servicebus.windows.net", "plays", "match"), (processor.FullyQualifiedNamespace, processor.EventHubName, processor.ConsumerGroup));
        Assert.IsType<EventHubsPlayPublisher>(provider.GetRequiredService<IPlayPublisher>());
    }

    [Fact]
    public void GivenNeitherAConnectionStringNorANamespace_WhenValidated_ThenTheErrorNamesBothKeys()
    {
        string message = ValidationError(With("Transport:EventHubs:ConnectionString", null));

        Assert.Equal(
            "DataAnnotation validation failed for 'EventHubsTransportOptions' members: 'ConnectionString,FullyQualifiedNamespace' with the error: 'Give exactly one of ConnectionString and FullyQualifiedNamespace (the latter signs in with DefaultAzureCredential).'.",
            message);
    }

    [Fact]
    public void GivenAMalformedConnectionString_WhenValidated_ThenTheErrorNamesTheKeyButNeverRepeatsTheValue()
    {
        string message = ValidationError(With("Transport:EventHubs:ConnectionString", "SharedAccessKey=top-secret-value"));

        Assert.Contains("'ConnectionString' with the error: 'The value is not an Event Hubs connection string", message, StringComparison.Ordinal);
        Assert.DoesNotContain("top-secret-value", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Transport:EventHubs:CheckpointStore:Container", null, "CheckpointStore:Container", "The container name is required.")]
    [InlineData("Transport:EventHubs:CheckpointStore:Container", "Check_Points", "CheckpointStore:Container", "A container name is 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.")]
    [InlineData("Transport:EventHubs:CheckpointStore:ConnectionString", null, "CheckpointStore:ConnectionString,CheckpointStore:ServiceUri", "Give exactly one of ConnectionString and ServiceUri (the latter signs in with DefaultAzureCredential).")]
    [InlineData("Transport:EventHubs:EventHubName", null, "EventHubName", "The hub's name is required (or an EntityPath in the connection string).")]
    [InlineData("Transport:EventHubs:OwnershipExpirationSeconds", "10", "OwnershipExpirationSeconds", "Must be longer than LoadBalancingIntervalSeconds (10), or claims lapse between renewals.")]
    [InlineData("Transport:EventHubs:ReceiveBatchSize", "0", "ReceiveBatchSize", "The field ReceiveBatchSize must be between 1 and 10000.")]
    [InlineData("Transport:EventHubs:SiteConsumerGroup", "site-consumer-group-with-a-name-longer-than-fifty-c", "SiteConsumerGroup", "The field SiteConsumerGroup must be a string with a minimum length of 1 and a maximum length of 50.")]
    public void GivenABadSetting_WhenValidated_ThenTheErrorNamesItsKey(string key, string? value, string member, string error)
    {
        string message = ValidationError(With(key, value));

        Assert.Equal($"DataAnnotation validation failed for 'EventHubsTransportOptions' members: '{member}' with the error: '{error}'.", message);
    }

    [Fact]
    public void GivenAStorageConnectionStringThatIsNotOne_WhenValidated_ThenTheErrorNeverRepeatsIt()
    {
        string message = ValidationError(With("Transport:EventHubs:CheckpointStore:ConnectionString", "AccountKey=very-secret"));

        Assert.Contains("'CheckpointStore:ConnectionString' with the error: 'The value is not a Storage connection string", message, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret", message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenDefaultOptions_WhenRead_ThenTheyAreTheDocumentedDefaults()
    {
        var options = new EventHubsTransportOptions();

        Assert.Equal("$Default", options.SiteConsumerGroup);
        Assert.Equal(
            ("$Default", 100, 300, 10_000, 5_000, 100_000, 1_000, 10, 30),
            (options.ConsumerGroup, options.ReceiveBatchSize, options.PrefetchCount, options.ReceiveBufferCapacity, options.CheckpointIntervalMs,
                options.PublishQueueCapacity, options.PublishBatchMaxEvents, options.LoadBalancingIntervalSeconds, options.OwnershipExpirationSeconds));
    }
}
