using System.Diagnostics;
using ListeningTogether.Host.Cli;
using ListeningTogether.Host.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// Stopping <c>serve</c> (Ctrl+C, SIGTERM in a rolling update) while pages are connected. On the signal the host
/// first fires ApplicationStopping (SignalR then closes every hub connection) and only afterwards stops the
/// hosted services, Kestrel among them. The live page reconnects at once (its first retry is after 0 ms), so a
/// page can be connected again in between; the site must still stop promptly.
/// </summary>
public sealed class SiteShutdownTests
{
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task GivenAViewerThatReconnectedWhileTheSiteWasStopping_WhenTheHostStops_ThenItStopsWithinFiveSeconds()
    {
        using IHost host = ServeCommand.Build(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:Enabled"] = "false",
            ["Geo:CityDb"] = TestData.CityTestDb,
            ["Urls"] = "http://127.0.0.1:0",
        }).Build());
        await host.StartAsync();
        string address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        await using HubConnection viewer = new HubConnectionBuilder()
            .WithUrl(address + "/hub/coplays")
            .WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero])
            .Build();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        viewer.Reconnected += _ =>
        {
            reconnected.TrySetResult();
            return Task.CompletedTask;
        };
        await viewer.StartAsync();

        // What the console lifetime does on SIGINT or SIGTERM, before the host stops its services.
        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        bool back = await Task.WhenAny(reconnected.Task, Task.Delay(TimeSpan.FromSeconds(3))) == reconnected.Task;
        var stopping = Stopwatch.StartNew();
        using (var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await host.StopAsync(giveUp.Token);
        }

        TimeSpan took = stopping.Elapsed;
        Assert.True(
            took <= Promptly,
            $"stopping took {took.TotalSeconds:F1} s (given up after 10 s); "
            + $"the viewer {(back ? "had reconnected" : "had not reconnected")} after ApplicationStopping");
    }
}
