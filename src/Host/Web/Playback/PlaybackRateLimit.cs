using System.Threading.RateLimiting;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>
/// At most <c>Playback:MaxRequestsPerMinutePerAddress</c> playback API requests per client address (as the hub
/// counts addresses, <see cref="ClientAddress"/>) in any minute; the rest get 429 problem details.
/// </summary>
internal static class PlaybackRateLimit
{
    public const string PolicyName = "playback";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddPlaybackRateLimit(this IServiceCollection services, PlaybackOptions playback) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PolicyName, context => RateLimitPartition.GetSlidingWindowLimiter(ClientAddress.Of(context), _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = playback.MaxRequestsPerMinutePerAddress,
                Window = Window,
                SegmentsPerWindow = 6,
                QueueLimit = 0,
            }));

            // The hub's refusals stay bare 429s; the API's are problem details like its other errors.
            limiter.OnRejected = (rejected, cancellationToken) =>
                rejected.HttpContext.Request.Path.StartsWithSegments(PlaybackEndpoints.CoPlaysPath, StringComparison.Ordinal)
                    ? new ValueTask(TypedResults.Problem(
                        detail: "Too many playback requests from this address; try again in a minute.",
                        statusCode: StatusCodes.Status429TooManyRequests,
                        title: "Too many requests").ExecuteAsync(rejected.HttpContext))
                    : ValueTask.CompletedTask;
        });
}
