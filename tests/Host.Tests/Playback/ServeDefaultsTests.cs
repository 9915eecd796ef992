using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using Microsoft.Extensions.Configuration;

namespace ListeningTogether.Host.Tests.Playback;

/// <summary><c>serve</c>'s own settings: <c>--playback</c> as Playback:Paths, and live results kept on the embedded defaults only.</summary>
public sealed class ServeDefaultsTests
{
    [Fact]
    public void GivenTheEmbeddedDefaults_WhenServeStarts_ThenLiveResultsGoToDataResultsFor24Hours()
    {
        IConfigurationRoot settings = ServeDefaults.Apply(Settings(), ["/srv/day", "/srv/hours"]);

        Assert.Equal(Path.Combine("data", "results"), Path.GetRelativePath(Path.GetDirectoryName(Path.GetDirectoryName(settings["Results:ParquetDir"])!)!, settings["Results:ParquetDir"]!));
        Assert.Equal("24", settings["Results:RetentionHours"]);
        Assert.Equal("/srv/day", settings["Playback:Paths:0"]);
        Assert.Equal("/srv/hours", settings["Playback:Paths:1"]);
    }

    [Theory]
    [InlineData("Transport:Kind", "PubSub")]
    [InlineData("Results:ParquetDir", "/srv/results")]
    public void GivenAnotherTransportOrAResultsFolder_WhenServeStarts_ThenNoResultsFolderOrRetentionIsAdded(string key, string value)
    {
        IConfigurationRoot settings = ServeDefaults.Apply(Settings((key, value)), null);

        Assert.Equal(key == "Results:ParquetDir" ? value : null, settings["Results:ParquetDir"]);
        Assert.Null(settings["Results:RetentionHours"]);
    }

    [Fact]
    public void GivenARetentionSetting_WhenServeKeepsItsOwnResults_ThenTheSettingStays()
    {
        IConfigurationRoot settings = ServeDefaults.Apply(Settings(("Results:RetentionHours", "2")), null);

        Assert.Equal("2", settings["Results:RetentionHours"]);
    }

    [Fact]
    public void GivenSettingsAfterThePlaybackFolders_WhenServeStarts_ThenTheyAreSettingsNotFolders()
    {
        var (folders, settings) = PlaybackOption.Split(["/srv/day", "/srv/hours", "--Urls=http://127.0.0.1:9000", "--Pipeline:MaxPerSecond=5"]);

        IConfigurationRoot applied = ServeDefaults.Apply(Settings(("Pipeline:MaxPerSecond", "20")), folders, settings);

        Assert.Equal(["/srv/day", "/srv/hours"], folders);
        Assert.Equal("http://127.0.0.1:9000", applied["Urls"]);
        Assert.Equal("5", applied["Pipeline:MaxPerSecond"]);
        Assert.Null(applied["Playback:Paths:2"]);
        Assert.Throws<SettingsException>(() => PlaybackOption.Split(["/srv/day", "--oops"]));
    }

    private static IConfigurationRoot Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
