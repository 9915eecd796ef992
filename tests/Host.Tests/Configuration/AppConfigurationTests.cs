using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;

namespace ListeningTogether.Host.Tests.Configuration;

/// <summary>Environment variables change the whole process, so these tests run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Process environment";
}

/// <summary>
/// Setting sources in order (DESIGN.md "Configuration"): appsettings.json beside the executable, then LT__Section__Key
/// environment variables, then --Section:Key=value arguments, later ones winning. (appsettings.json against the
/// environment is covered end to end: in-process the file is the build output's.)
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AppConfigurationTests : IDisposable
{
    private const string MinDistanceVariable = "LT__Pipeline__MinDistanceKm";

    public AppConfigurationTests()
    {
        Environment.SetEnvironmentVariable(MinDistanceVariable, null);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(MinDistanceVariable, null);

    private static double MinDistanceKm(params string[] args) =>
        ValidatedOptions.Bind<PipelineOptions>(AppConfiguration.Build(args), PipelineOptions.Section).MinDistanceKm;

    [Fact]
    public void GivenNoSetting_WhenBuilt_ThenTheDefaultApplies()
    {
        Assert.Equal(100, MinDistanceKm());
    }

    [Fact]
    public void GivenAnEnvironmentVariable_WhenBuilt_ThenItOverridesTheDefaultAndTheAppSettingsFile()
    {
        Environment.SetEnvironmentVariable(MinDistanceVariable, "250");

        Assert.Equal(250, MinDistanceKm());
    }

    [Fact]
    public void GivenAnEnvironmentVariableAndAnArgument_WhenBuilt_ThenTheArgumentWins()
    {
        Environment.SetEnvironmentVariable(MinDistanceVariable, "250");

        Assert.Equal(300, MinDistanceKm("--Pipeline:MinDistanceKm=300"));
    }

    [Fact]
    public void GivenABadEnvironmentVariable_WhenBound_ThenTheErrorNamesTheSettingKey()
    {
        Environment.SetEnvironmentVariable(MinDistanceVariable, "-1");

        var e = Assert.Throws<SettingsException>(() => MinDistanceKm());

        Assert.Equal("Invalid setting Pipeline:MinDistanceKm: The field MinDistanceKm must be between 0 and 40000.", e.Message);
    }

    [Fact]
    public void GivenAnArgumentThatIsNotASetting_WhenBuilt_ThenTheErrorNamesItAndTheForm()
    {
        var e = Assert.Throws<SettingsException>(() => AppConfiguration.Build(["--verbose"]));

        Assert.Equal("Unrecognized argument '--verbose'. Settings are given as --Section:Key=value.", e.Message);
    }

    [Fact]
    public void GivenTheSameKeyTwiceOnTheCommandLine_WhenBuilt_ThenTheLastWins()
    {
        Assert.Equal(300, MinDistanceKm("--Pipeline:MinDistanceKm=200", "--Pipeline:MinDistanceKm=300"));
    }
}
