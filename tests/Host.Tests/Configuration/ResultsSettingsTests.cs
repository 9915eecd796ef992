using ListeningTogether.Abstractions;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Streaming.Sinks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static ListeningTogether.Host.Tests.Fixtures.InMemorySettings;

namespace ListeningTogether.Host.Tests.Configuration;

/// <summary>The <c>Results</c> section: each sink only when its setting is given; a folder that cannot be made is named at start.</summary>
public sealed class ResultsSettingsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void GivenBothResultsSettings_WhenTheRunHostIsBuilt_ThenThePipelineHasBothSinks()
    {
        using IHost host = RunCommand.Build(Settings(
            ("Results:Jsonl", _temp.Combine("coplays.jsonl")),
            ("Results:ParquetDir", _temp.Combine("parquet")),
            ("Simulator:Enabled", "false"),
            ("Geo:CityDb", TestData.CityTestDb)));

        // Each retried as DESIGN's failing writes are, and named by its setting and target.
        Assert.Equal(
            [("results_jsonl", "Results:Jsonl", _temp.Combine("coplays.jsonl")), ("results_parquet", "Results:ParquetDir", _temp.Combine("parquet"))],
            host.Services.GetServices<ICoPlaySink>().Cast<RetryingCoPlaySink>().Select(s => (s.Target.Component, s.Target.Setting, s.Target.Location)));
        Assert.True(Directory.Exists(_temp.Combine("parquet")));
    }

    [Fact]
    public void GivenNoResultsSettings_WhenTheRunHostIsBuilt_ThenThereIsNoResultsSink()
    {
        using IHost host = RunCommand.Build(Settings(("Simulator:Enabled", "false"), ("Geo:CityDb", TestData.CityTestDb)));

        Assert.Empty(host.Services.GetServices<ICoPlaySink>());
    }

    [Fact]
    public void GivenANegativeJsonlKeyHorizon_WhenTheRunHostIsBuilt_ThenTheErrorNamesTheSettingAndItsRange()
    {
        var e = Assert.Throws<SettingsException>(() => RunCommand.Build(Settings(
            ("Results:Jsonl", _temp.Combine("coplays.jsonl")),
            ("Results:JsonlKeyHorizonSeconds", "-1"),
            ("Simulator:Enabled", "false"),
            ("Geo:CityDb", TestData.CityTestDb))));

        Assert.Equal("Invalid setting Results:JsonlKeyHorizonSeconds: The field JsonlKeyHorizonSeconds must be between 0 and 86400.", e.Message);
    }

    [Fact]
    public void GivenAResultsFolderThatCannotBeCreated_WhenTheRunHostIsBuilt_ThenTheErrorNamesResultsParquetDir()
    {
        string file = _temp.Combine("a-file");
        File.WriteAllText(file, "x");

        var e = Assert.Throws<SettingsException>(() => RunCommand.Build(Settings(
            ("Results:ParquetDir", Path.Combine(file, "results")),
            ("Simulator:Enabled", "false"),
            ("Geo:CityDb", TestData.CityTestDb))));

        Assert.StartsWith($"Invalid setting Results:ParquetDir: '{Path.Combine(file, "results")}' cannot be created (", e.Message, StringComparison.Ordinal);
    }
}
