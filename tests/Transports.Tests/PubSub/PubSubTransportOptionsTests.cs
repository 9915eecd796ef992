using System.ComponentModel.DataAnnotations;
using ListeningTogether.Abstractions;
using ListeningTogether.Transports.PubSub;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Transports.Tests.PubSub;

/// <summary>Transport:PubSub settings: defaults, validation naming the key, the emulator's address and the registration.</summary>
public sealed class PubSubTransportOptionsTests
{
    private static List<ValidationResult> Validate(PubSubTransportOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void GivenDefaults_WhenRead_ThenTheyAreTheDocumentedOnes()
    {
        var options = new PubSubTransportOptions();

        Assert.Equal(("plays", "plays-pipeline", 4, 200_000, 268_435_456L, 30), (options.Topic, options.Subscription, options.Streams, options.MaxOutstandingMessages, options.MaxOutstandingBytes, options.AckDeadlineSeconds));
        Assert.Equal((1000, 1_000_000, 10, 8), (options.PublishBatchCount, options.PublishBatchBytes, options.PublishBatchDelayMs, options.PublishConcurrency));
        Assert.Equal((1, "plays-by-track", "coplays", false, OrderingKeyUsage.None), (options.ShardCount, options.RepartitionTopic, options.ResultsTopic, options.CreateMissing, options.OrderingKey));
    }

    [Fact]
    public void GivenNoProjectId_WhenValidated_ThenProjectIdIsNamed()
    {
        ValidationResult result = Assert.Single(Validate(new PubSubTransportOptions()));

        Assert.Equal(["ProjectId"], result.MemberNames);
        Assert.Equal("The ProjectId field is required.", result.ErrorMessage);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1plays")]
    [InlineData("goog-plays")]
    [InlineData("plays/x")]
    public void GivenABadTopicName_WhenValidated_ThenTopicIsNamedWithTheRule(string topic)
    {
        ValidationResult result = Assert.Single(Validate(new PubSubTransportOptions { ProjectId = "p", Topic = topic }));

        Assert.Equal(["Topic"], result.MemberNames);
        Assert.Equal("The field Topic must be a Pub/Sub name: 3-255 characters, a letter first, then letters, digits or -_.~+%, not starting with 'goog'.", result.ErrorMessage);
    }

    [Theory]
    [InlineData(nameof(PubSubTransportOptions.Streams), 0, "The field Streams must be between 1 and 64.")]
    [InlineData(nameof(PubSubTransportOptions.AckDeadlineSeconds), 9, "The field AckDeadlineSeconds must be between 10 and 600.")]
    [InlineData(nameof(PubSubTransportOptions.PublishBatchCount), 1001, "The field PublishBatchCount must be between 1 and 1000.")]
    [InlineData(nameof(PubSubTransportOptions.ShardCount), 0, "The field ShardCount must be between 1 and 1024.")]
    public void GivenANumberOutOfRange_WhenValidated_ThenItIsNamedWithItsRange(string property, int value, string message)
    {
        var options = new PubSubTransportOptions { ProjectId = "p" };
        typeof(PubSubTransportOptions).GetProperty(property)!.SetValue(options, value);

        ValidationResult result = Assert.Single(Validate(options));

        Assert.Equal([property], result.MemberNames);
        Assert.Equal(message, result.ErrorMessage);
    }

    [Fact]
    public void GivenAnEmulatorHostThatIsNotHostPort_WhenValidated_ThenEmulatorHostIsNamed()
    {
        ValidationResult result = Assert.Single(Validate(new PubSubTransportOptions { ProjectId = "p", EmulatorHost = "http://localhost:8085" }));

        Assert.Equal("The field EmulatorHost must be host:port, e.g. 127.0.0.1:8085.", result.ErrorMessage);
    }

    [Theory]
    [InlineData("127.0.0.1:9000", "127.0.0.1:8085", "127.0.0.1:9000")]
    [InlineData(null, "127.0.0.1:8085", "127.0.0.1:8085")]
    [InlineData(null, null, null)]
    [InlineData(null, "  ", null)]
    public void GivenTheSettingAndTheEnvironment_WhenTheEmulatorIsChosen_ThenTheSettingWinsAndNeitherMeansTheRealService(string? setting, string? environment, string? expected)
    {
        var options = new PubSubTransportOptions { ProjectId = "p", EmulatorHost = setting };

        Assert.Equal(expected, PubSubChannel.EmulatorHost(options, name => name == "PUBSUB_EMULATOR_HOST" ? environment : null));
    }

    [Fact]
    public async Task GivenTheRegistration_WhenResolved_ThenOneSubscriberAndOnePublisherServeThePortsOnTheConfiguredNames()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transport:PubSub:ProjectId"] = "lt-test",
            ["Transport:PubSub:EmulatorHost"] = "127.0.0.1:1",
            ["Transport:PubSub:Topic"] = "plays-x",
            ["Transport:PubSub:Subscription"] = "plays-x-sub",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddPubSubTransport(configuration);
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var subscriber = Assert.IsType<PubSubSubscriber>(provider.GetRequiredService<IPlaySource>());
        var publisher = Assert.IsType<PubSubPublisher>(provider.GetRequiredService<IPlayPublisher>());

        Assert.Equal("projects/lt-test/subscriptions/plays-x-sub", subscriber.Subscription);
        Assert.Equal("projects/lt-test/topics/plays-x", publisher.Topic);
        Assert.Same(subscriber, provider.GetRequiredService<PubSubSubscriber>());
    }

    [Fact]
    public void GivenARegistrationWithoutProjectId_WhenTheOptionsAreResolved_ThenValidationFailsNamingProjectId()
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddPubSubTransport(new ConfigurationBuilder().Build());
        using ServiceProvider provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PubSubTransportOptions>>().Value);

        Assert.Equal("DataAnnotation validation failed for 'PubSubTransportOptions' members: 'ProjectId' with the error: 'The ProjectId field is required.'.", e.Message);
    }
}
