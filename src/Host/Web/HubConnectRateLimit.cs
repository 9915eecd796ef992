using System.Net;
using System.Threading.RateLimiting;

namespace ListeningTogether.Host.Web;

/// <summary>
/// At most <c>Site:MaxConnectsPerMinutePerAddress</c> hub connects per client address in any minute (a sliding
/// window of six 10-second segments), the rest refused with 429. A connect is a negotiate request, or a WebSocket
/// opened without negotiating; the requests of a negotiated connection carry its id and are not counted again.
/// </summary>
internal static class HubConnectRateLimit
{
    public const string PolicyName = "hub-connects";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddHubConnectRateLimit(this IServiceCollection services, SiteOptions site) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PolicyName, context => IsConnect(context.Request)
                ? RateLimitPartition.GetSlidingWindowLimiter(new ConnectPartition(ClientAddress.Of(context)), _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = site.MaxConnectsPerMinutePerAddress,
                    Window = Window,
                    SegmentsPerWindow = 6,
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(ConnectPartition.NotAConnect));
        });

    private static bool IsConnect(HttpRequest request) => !request.Query.ContainsKey("id");

    /// <summary>A client address, or none for the requests that are not counted.</summary>
    private readonly record struct ConnectPartition(IPAddress? Address)
    {
        public static readonly ConnectPartition NotAConnect = new(null);
    }
}
