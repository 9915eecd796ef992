using System.Text.RegularExpressions;
using ListeningTogether.Host.Web;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>A site replica's name (DESIGN.md "One world view"): the setting, else the pod's host name, else machine, process and random.</summary>
public sealed partial class SiteReplicaTests
{
    [Fact]
    public void GivenTheSetting_ThenItIsTheName()
    {
        Assert.Equal("eu-site-1", SiteReplica.From(new SiteOptions { ReplicaName = "eu-site-1" }, _ => "ignored").Name);
    }

    [Fact]
    public void GivenNoSettingButAHostName_ThenTheHostNameCleanedIsTheName()
    {
        Assert.Equal("lt-site-7f9c-x2", SiteReplica.From(new SiteOptions(), name => name == "HOSTNAME" ? "LT_Site.7f9c-x2" : null).Name);
    }

    [Fact]
    public void GivenNeitherSettingNorHostName_ThenTwoProcessesGetDifferentValidNames()
    {
        string first = SiteReplica.From(new SiteOptions(), _ => null).Name;
        string second = SiteReplica.From(new SiteOptions(), _ => null).Name;

        Assert.Matches(ValidName(), first);
        Assert.Matches(ValidName(), second);
        Assert.NotEqual(first, second);
        Assert.Contains($"-{Environment.ProcessId}-", first, StringComparison.Ordinal);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex ValidName();
}
