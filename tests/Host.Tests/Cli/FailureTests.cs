using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Configuration;
using Microsoft.Extensions.Configuration;

namespace ListeningTogether.Host.Tests.Cli;

/// <summary>Exit codes and one-line causes of DESIGN.md "Failure, exit codes and readiness", by what a verb threw.</summary>
public sealed class FailureTests
{
    [Fact]
    public void GivenARefusedSetting_WhenDescribed_ThenItExitsTwoWithItsMessage()
    {
        Assert.Equal(new Failure(2, "Invalid setting Pipeline:Foo"), Failure.Of(new SettingsException("Invalid setting Pipeline:Foo"), null));
    }

    [Fact]
    public void GivenARuntimeFailure_WhenDescribed_ThenItExitsOneWithItsMessage()
    {
        Assert.Equal(new Failure(1, "Results:Jsonl 'r.jsonl': no space left on device"), Failure.Of(new RuntimeFailureException("Results:Jsonl 'r.jsonl': no space left on device"), null));
    }

    [Fact]
    public void GivenNoSpaceWhileWriting_WhenDescribed_ThenItExitsOneNamingTheFileFirst()
    {
        var noSpace = new IOException("No space left on device : '/out/.replay-1/coplays.parquet'", 28);

        Assert.Equal(new Failure(1, "'/out/.replay-1/coplays.parquet': no space left on device"), Failure.Of(noSpace, null));
    }

    [Fact]
    public void GivenAPortInUse_WhenDescribed_ThenItExitsTwoNamingUrls()
    {
        IConfiguration settings = new ConfigurationBuilder().AddInMemoryCollection([new("Urls", "http://127.0.0.1:8080")]).Build();
        var inUse = new IOException("Failed to bind to address http://127.0.0.1:8080: address already in use.", new Microsoft.AspNetCore.Connections.AddressInUseException("in use"));

        Assert.Equal(new Failure(2, "Urls 'http://127.0.0.1:8080': the address is already in use"), Failure.Of(inUse, settings));
    }

    [Fact]
    public void GivenAnUnexpectedException_WhenDescribed_ThenItExitsOneNamingItsType()
    {
        Assert.Equal(new Failure(1, "KeyNotFoundException: The key was not found."), Failure.Of(new KeyNotFoundException("The key was not found."), null));
    }
}
