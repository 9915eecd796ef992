using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Transports.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static ListeningTogether.Host.Tests.Fixtures.InMemorySettings;

namespace ListeningTogether.Host.Tests.Configuration;

/// <summary>DESIGN.md "Configuration": settings are validated at start with a clear message naming the bad key.</summary>
public sealed class SettingsValidationTests
{
    private static string PipelineError(params (string Key, string Value)[] settings) =>
        Assert.Throws<SettingsException>(() => ValidatedOptions.Bind<PipelineOptions>(Settings(settings), PipelineOptions.Section)).Message;

    [Fact]
    public void GivenNoSettings_WhenThePipelineSectionIsBound_ThenTheDesignDefaultsApply()
    {
        PipelineOptions options = ValidatedOptions.Bind<PipelineOptions>(Settings(), PipelineOptions.Section);

        Assert.Equal(1000, options.WindowMs);
        Assert.Equal(2000, options.AllowedLatenessMs);
        Assert.Null(options.IdleFlushMs);
        Assert.Equal(3000, options.EffectiveIdleFlushMs);
        Assert.Equal(100, options.MinDistanceKm);
        Assert.Equal(250, options.MaxAccuracyRadiusKm);
        Assert.Equal(20, options.MaxPerSecond);
        Assert.Equal(60_000, options.MaxFutureSkewMs);
    }

    [Fact]
    public void GivenValidPipelineSettings_WhenBound_ThenTheyAreUsed()
    {
        PipelineOptions options = ValidatedOptions.Bind<PipelineOptions>(
            Settings(("Pipeline:WindowMs", "500"), ("Pipeline:AllowedLatenessMs", "0"), ("Pipeline:MinDistanceKm", "2.5")),
            PipelineOptions.Section);

        Assert.Equal(500, options.WindowMs);
        Assert.Equal(0, options.AllowedLatenessMs);
        Assert.Equal(500, options.EffectiveIdleFlushMs);
        Assert.Equal(2.5, options.MinDistanceKm);
    }

    [Fact]
    public void GivenAWindowThatDoesNotDivideAnHour_WhenBound_ThenTheErrorNamesPipelineWindowMsAndSaysWhy()
    {
        Assert.Equal(
            "Invalid setting Pipeline:WindowMs: 7 does not divide 3,600,000 (one hour), so windows would span hours.",
            PipelineError(("Pipeline:WindowMs", "7")));
    }

    [Fact]
    public void GivenAWindowOfZero_WhenBound_ThenTheErrorNamesPipelineWindowMsAndItsRange()
    {
        Assert.Equal(
            "Invalid setting Pipeline:WindowMs: The field WindowMs must be between 1 and 3600000.",
            PipelineError(("Pipeline:WindowMs", "0")));
    }

    [Fact]
    public void GivenTwoBadKeys_WhenBound_ThenBothAreNamedOneALine()
    {
        Assert.Equal(
            "Invalid setting Pipeline:MinDistanceKm: The field MinDistanceKm must be between 0 and 40000."
            + Environment.NewLine
            + "Invalid setting Pipeline:MaxPerSecond: The field MaxPerSecond must be between 0 and 1000000.",
            PipelineError(("Pipeline:MinDistanceKm", "-1"), ("Pipeline:MaxPerSecond", "-5")));
    }

    [Fact]
    public void GivenAWindowThatIsNotANumber_WhenBound_ThenTheErrorStartsByNamingPipelineWindowMs()
    {
        // The contract: "error: Invalid setting Section:Key ..." for every invalid setting.
        string message = PipelineError(("Pipeline:WindowMs", "abc"));

        Assert.StartsWith("Invalid setting Pipeline:WindowMs: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAnUnknownKeyInThePipelineSection_WhenBound_ThenTheErrorStartsByNamingThatKey()
    {
        string message = PipelineError(("Pipeline:WindowSize", "1000"));

        Assert.StartsWith("Invalid setting Pipeline:WindowSize: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenABadWindowSetting_WhenTheRunHostIsBuilt_ThenItFailsWithTheSameMessage()
    {
        var e = Assert.Throws<SettingsException>(() => RunCommand.Build(Settings(("Pipeline:WindowMs", "7"))));

        Assert.Equal("Invalid setting Pipeline:WindowMs: 7 does not divide 3,600,000 (one hour), so windows would span hours.", e.Message);
    }

    [Fact]
    public void GivenTheMigrationTransport_WhenTheRunHostIsBuilt_ThenThePipelineReadsBothCloudsAndPublishesToEventHubs()
    {
        IConfigurationRoot settings = Settings(
            ("Transport:Kind", "Migration"),
            ("Transport:PubSub:ProjectId", "listening-together"),
            ("Transport:PubSub:EmulatorHost", "127.0.0.1:1"),
            ("Transport:EventHubs:ConnectionString", "Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=c2VjcmV0"),
            ("Transport:EventHubs:EventHubName", "plays"),
            ("Transport:EventHubs:CheckpointStore:ConnectionString", "UseDevelopmentStorage=true"),
            ("Transport:EventHubs:CheckpointStore:Container", "checkpoints"),
            ("Simulator:Enabled", "false"),
            ("Geo:CityDb", TestData.CityTestDb));

        using IHost host = RunCommand.Build(settings);

        Assert.Equal("MergedPlaySource", host.Services.GetRequiredService<ListeningTogether.Abstractions.IPlaySource>().GetType().Name);
        Assert.Single(host.Services.GetServices<ListeningTogether.Abstractions.IPlaySource>());
        Assert.Equal("EventHubsPlayPublisher", host.Services.GetRequiredService<ListeningTogether.Abstractions.IPlayPublisher>().GetType().Name);
    }

    [Fact]
    public void GivenTheMigrationTransportWithoutItsEventHubsSettings_WhenTheRunHostIsBuilt_ThenTheErrorNamesTheMissingKey()
    {
        var e = Assert.Throws<SettingsException>(() => RunCommand.Build(Settings(
            ("Transport:Kind", "Migration"), ("Transport:PubSub:ProjectId", "listening-together"), ("Geo:CityDb", TestData.CityTestDb))));

        Assert.StartsWith("Invalid setting Transport:EventHubs:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTheEventHubsTransportWithConnectionStrings_WhenTheRunHostIsBuilt_ThenThePipelineReadsFromEventHubsAndNothingConnectsYet()
    {
        IConfigurationRoot settings = Settings(
            ("Transport:Kind", "EventHubs"),
            ("Transport:EventHubs:ConnectionString", "Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=c2VjcmV0"),
            ("Transport:EventHubs:EventHubName", "plays"),
            ("Transport:EventHubs:CheckpointStore:ConnectionString", "UseDevelopmentStorage=true"),
            ("Transport:EventHubs:CheckpointStore:Container", "checkpoints"),
            ("Geo:CityDb", TestData.CityTestDb));

        using IHost host = RunCommand.Build(settings);

        Assert.Equal("EventHubsPlaySource", host.Services.GetRequiredService<ListeningTogether.Abstractions.IPlaySource>().GetType().Name);
        Assert.Equal("EventHubsPlayPublisher", host.Services.GetRequiredService<ListeningTogether.Abstractions.IPlayPublisher>().GetType().Name);
    }

    [Fact]
    public void GivenTheEventHubsTransportWithoutACheckpointContainer_WhenTheRunHostIsBuilt_ThenTheErrorNamesTheKeyAndNoSecret()
    {
        IConfigurationRoot settings = Settings(
            ("Transport:Kind", "EventHubs"),
            ("Transport:EventHubs:ConnectionString", "Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=c2VjcmV0"),
            ("Transport:EventHubs:EventHubName", "plays"),
            ("Transport:EventHubs:CheckpointStore:ConnectionString", "UseDevelopmentStorage=true"),
            ("Geo:CityDb", TestData.CityTestDb));

        var e = Assert.Throws<SettingsException>(() => RunCommand.Build(settings));

        Assert.Equal("Invalid setting Transport:EventHubs:CheckpointStore:Container: The container name is required.", e.Message);
    }

    [Fact]
    public void GivenSimulatorPlaysPerSecondOfZero_WhenTheRunHostIsBuilt_ThenTheErrorNamesIt()
    {
        var e = Assert.Throws<SettingsException>(() => RunCommand.Build(Settings(("Simulator:PlaysPerSecond", "0"))));

        Assert.Equal("Invalid setting Simulator:PlaysPerSecond: The field PlaysPerSecond must be between 1 and 10000000.", e.Message);
    }

    [Fact]
    public void GivenTheInMemoryCapacitySetting_WhenTheRunHostIsBuilt_ThenTheTransportUsesIt()
    {
        // Transport:InMemory:Capacity is the InMemory adapter's own setting (InMemoryTransportOptions.Section).
        IConfigurationRoot settings = Settings(
            ("Transport:InMemory:Capacity", "5000"),
            ("Simulator:Enabled", "false"),
            ("Geo:CityDb", TestData.CityTestDb));

        using IHost host = RunCommand.Build(settings);

        Assert.Equal(5000, host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<InMemoryTransportOptions>>().Value.Capacity);
    }
}
