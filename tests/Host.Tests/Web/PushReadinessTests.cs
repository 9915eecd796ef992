using System.Diagnostics;
using System.Net;
using ListeningTogether.Tests.Shared;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// With the Redis backplane, <c>/readyz</c> says whether pushes can reach other replicas' viewers (DESIGN.md
/// "Failure, exit codes and readiness": the push backplane, when configured, can write).
/// </summary>
public sealed class PushReadinessTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task GivenTheRedisBackplane_WhenRedisStopsAndComesBack_ThenReadinessNamesPushMeanwhileAndIsReadyAgain()
    {
        await using SiteHost site = await SiteHost.StartAsync(new Dictionary<string, string?>
        {
            ["Push:Kind"] = "Redis",
            ["Push:Redis:ConnectionString"] = _redis.ConnectionString,
        });
        await UntilAsync(site, HttpStatusCode.OK);

        await _redis.StopAsync();
        string down = await UntilAsync(site, HttpStatusCode.ServiceUnavailable);
        await _redis.StartAsync();
        await UntilAsync(site, HttpStatusCode.OK);

        Assert.StartsWith("Unhealthy: not ready: push: Push:Redis:ConnectionString: ", down, StringComparison.Ordinal);
    }

    private static async Task<string> UntilAsync(SiteHost site, HttpStatusCode status)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using HttpResponseMessage response = await site.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
            string body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == status)
            {
                return body;
            }

            Assert.True(clock.Elapsed < Patience, $"/readyz stayed {(int)response.StatusCode} ({body}) for {Patience.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}
