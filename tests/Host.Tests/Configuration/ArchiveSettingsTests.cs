using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static ListeningTogether.Host.Tests.Fixtures.InMemorySettings;

namespace ListeningTogether.Host.Tests.Configuration;

/// <summary>The <c>Archive</c> section: DESIGN.md's defaults, ranges checked at start naming the key, and the sink only when ParquetDir is set.</summary>
public sealed class ArchiveSettingsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Error(params (string Key, string Value)[] settings) =>
        Assert.Throws<SettingsException>(() => ValidatedOptions.Bind<ArchiveOptions>(Settings(settings), ArchiveOptions.Section)).Message;

    [Fact]
    public void GivenNoSettings_WhenTheArchiveSectionIsBound_ThenTheDesignDefaultsApplyAndNothingIsArchived()
    {
        ArchiveOptions options = ValidatedOptions.Bind<ArchiveOptions>(Settings(), ArchiveOptions.Section);

        Assert.Null(options.ParquetDir);
        Assert.Equal(1000, options.FlushMs);
        Assert.Equal(300, options.RollSeconds);
        Assert.Equal(30, options.RetentionDays);
    }

    [Theory]
    [InlineData("FlushMs", "0", "The field FlushMs must be between 1 and 60000.")]
    [InlineData("FlushMs", "60001", "The field FlushMs must be between 1 and 60000.")]
    [InlineData("RollSeconds", "0", "The field RollSeconds must be between 1 and 86400.")]
    [InlineData("RetentionDays", "3651", "The field RetentionDays must be between 1 and 3650.")]
    public void GivenAnArchiveSettingOutOfRange_WhenBound_ThenTheErrorNamesTheKeyAndItsRange(string key, string value, string reason)
    {
        Assert.Equal($"Invalid setting Archive:{key}: {reason}", Error(($"Archive:{key}", value)));
    }

    [Fact]
    public void GivenAnArchiveFolderThatCannotBeCreated_WhenTheRunHostIsBuilt_ThenTheErrorNamesArchiveParquetDir()
    {
        string file = Path.Combine(_temp.Path, "a-file");
        File.WriteAllText(file, "x");

        var e = Assert.Throws<SettingsException>(() => RunCommand.Build(Settings(
            ("Archive:ParquetDir", Path.Combine(file, "archive")),
            ("Simulator:Enabled", "false"),
            ("Geo:CityDb", TestData.CityTestDb))));

        Assert.StartsWith($"Invalid setting Archive:ParquetDir: '{Path.Combine(file, "archive")}' cannot be created (", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenArchiveParquetDir_WhenTheRunHostIsBuilt_ThenThePipelineGetsTheArchiveAndItsServiceStopsAfterThePipeline()
    {
        using IHost host = RunCommand.Build(Settings(
            ("Archive:ParquetDir", _temp.Combine("archive")),
            ("Simulator:Enabled", "false"),
            ("Geo:CityDb", TestData.CityTestDb)));

        Assert.NotNull(host.Services.GetService<IPlayArchive>());
        Type[] hosted = [.. host.Services.GetServices<IHostedService>().Select(s => s.GetType())];
        Assert.True(
            Array.IndexOf(hosted, typeof(PlayArchiveService)) < Array.IndexOf(hosted, typeof(StageService<StreamingPipeline>)),
            "hosted services stop in reverse order, so the archive must come before the pipeline: " + string.Join(", ", hosted.Select(t => t.Name)));
    }

    [Fact]
    public void GivenNoArchiveParquetDir_WhenTheRunHostIsBuilt_ThenThereIsNoArchive()
    {
        using IHost host = RunCommand.Build(Settings(("Simulator:Enabled", "false"), ("Geo:CityDb", TestData.CityTestDb)));

        Assert.Null(host.Services.GetService<IPlayArchive>());
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s is PlayArchiveService);
    }
}
