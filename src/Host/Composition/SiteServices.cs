using ListeningTogether.Abstractions;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Web;
using ListeningTogether.Streaming;
using ListeningTogether.Streaming.Site;
using ListeningTogether.Transports.SignalR;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Composition;

/// <summary>The live site: its pages, the push-only SignalR hub and what feeds it (recent co-plays, top tracks, stats).</summary>
internal static class SiteServices
{
    public static IServiceCollection AddSite(this IServiceCollection services, SiteOptions site, PushSettings push)
    {
        services.AddSingleton(Options.Create(site));
        services.AddSingleton(SiteReplica.From(site, Environment.GetEnvironmentVariable));
        services.AddSingleton(new SiteStageSettings(TimeSpan.FromMilliseconds(site.CompletenessTimeoutMs)));
        services.AddSignalR(hub =>
        {
            // Clients only listen: nothing they send needs more than a handshake.
            hub.MaximumReceiveMessageSize = 4096;
            hub.EnableDetailedErrors = false;
        }).UsePush(push.Push, push.Redis, push.AzureSignalR);
        services.AddHubConnectRateLimit(site);
        services.AddSingleton<ViewerConnections>();
        services.AddSingleton<RecentCoPlays>();
        services.AddSingleton<RecentTrackCounts>();
        services.AddSingleton<ICoPlaySink>(sp => sp.GetRequiredService<RecentTrackCounts>());
        services.AddSingleton<CoPlayViews>();
        services.AddSingleton<ViewerBroadcast>();
        services.AddSingleton<ICoPlayViewerSink, SignalRCoPlayViewer>();
        services.AddHostedService<StatsBroadcaster>();
        return services;
    }

    /// <param name="forwardedHeaders">From <see cref="KnownProxies.ForwardedHeaders"/>: none when no proxy is known.</param>
    public static WebApplication UseSite(this WebApplication app, ForwardedHeadersOptions? forwardedHeaders)
    {
        if (forwardedHeaders is not null)
        {
            app.UseForwardedHeaders(forwardedHeaders);
        }

        app.UseHubOriginCheck(CoPlayHub.Path);
        app.UseRateLimiter();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapHub<CoPlayHub>(CoPlayHub.Path).RequireRateLimiting(HubConnectRateLimit.PolicyName);
        return app;
    }
}
