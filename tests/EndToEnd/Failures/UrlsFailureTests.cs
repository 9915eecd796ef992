using System.Net;
using System.Net.Sockets;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd.Failures;

/// <summary>
/// Issue 12, finding 2: a bad <c>Urls</c> or a port in use is refused with exit code 2 and one line naming
/// <c>Urls</c>, its value and the cause (DESIGN.md "Failure, exit codes and readiness").
/// </summary>
public sealed class UrlsFailureTests
{
    [Theory]
    [InlineData("not-a-url", "not a URL such as http://localhost:8080 (a scheme, a host and a port)")]
    [InlineData("127.0.0.1:18082", "not a URL such as http://localhost:8080 (a scheme, a host and a port)")]
    [InlineData("http://127.0.0.1:99999", "the port 99999 is outside 0 to 65535")]
    [InlineData("ftp://127.0.0.1:18082", "the scheme 'ftp' cannot be served; use http or https")]
    public async Task GivenABadUrls_WhenRun_ThenItExitsTwoNamingUrlsItsValueAndTheCause(string urls, string cause)
    {
        LtResult result = await Lt.RunAsync(["run", $"--Urls={urls}"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: Urls '{urls}': {cause}\n", result.Stderr);
    }

    [Fact]
    public async Task GivenAPortInUse_WhenRun_ThenItExitsTwoNamingUrlsAndSayingTheAddressIsInUse()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        string urls = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        LtResult result = await Lt.RunAsync(["run", $"--Urls={urls}"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: Urls '{urls}': the address is already in use\n", ErrorLines(result));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAPortInUse_WhenServed_ThenItExitsTwoNamingUrls()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        string urls = $"http://localhost:{((IPEndPoint)taken.LocalEndpoint).Port}";

        LtResult result = await Lt.RunAsync(["serve", $"--Urls={urls}"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: Urls '{urls}': the address is already in use\n", ErrorLines(result));
    }

    /// <summary>The process's own lines; the host may log its start before Kestrel binds.</summary>
    private static string ErrorLines(LtResult result) =>
        string.Concat(result.Stderr.Split('\n').Where(line => line.StartsWith("error: ", StringComparison.Ordinal)).Select(line => line + "\n"));
}
