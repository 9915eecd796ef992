using ListeningTogether.Replay.Output.Sinks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>
/// The playback read API of the site: <c>GET /api/coplays/range</c> and <c>GET /api/coplays?from=ISO&amp;to=ISO</c>.
/// Nothing of a request names a file: its times become minutes, and minutes become paths in the configured folders.
/// </summary>
internal static class PlaybackEndpoints
{
    public const string RangePath = "/api/coplays/range";
    public const string CoPlaysPath = "/api/coplays";

    public static WebApplication MapPlayback(this WebApplication app)
    {
        app.MapGet(RangePath, (PlaybackMinutes minutes, PlaybackMetrics metrics) =>
        {
            // Nothing kept is an answer, not an error: a page asks at every load, and a fresh site keeps nothing yet.
            metrics.Request(StatusCodes.Status200OK);
            return minutes.Range() is var (from, to)
                ? TypedResults.Json(new KeptRange(PlaybackJson.Time(from), PlaybackJson.Time(to)))
                : TypedResults.Json(new KeptRange(null, null));
        }).RequireRateLimiting(PlaybackRateLimit.PolicyName);

        app.MapGet(CoPlaysPath, async (HttpContext context, PlaybackMinutes minutes, PlaybackMetrics metrics) =>
        {
            IQueryCollection query = context.Request.Query;
            if (!PlaybackRange.TryParse(query["from"].FirstOrDefault(), query["to"].FirstOrDefault(), out PlaybackRange range, out string reason))
            {
                return (IResult)Answer(metrics, TypedResults.Problem(detail: reason, statusCode: StatusCodes.Status400BadRequest, title: "Bad playback range"));
            }

            if (minutes.Range() is not var (keptFrom, keptTo) || range.ToMs <= keptFrom || range.FromMs >= keptTo)
            {
                return Answer(metrics, NotKept("The range lies outside the kept co-plays (see /api/coplays/range)."));
            }

            long first = CoPlayMinuteFiles.MinuteOf(range.FromMs);
            int count = (int)((CoPlayMinuteFiles.MinuteOf(range.ToMs - 1) - first) / CoPlayMinuteFiles.MinuteMs) + 1;
            PlaybackMinute?[] kept = await minutes.GetAsync(first, count, context.RequestAborted).ConfigureAwait(false);
            metrics.Request(StatusCodes.Status200OK);
            return (IResult)new PlaybackResponse(range, first, kept);
        }).RequireRateLimiting(PlaybackRateLimit.PolicyName);
        return app;
    }

    private static ProblemHttpResult NotKept(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not kept");

    private static ProblemHttpResult Answer(PlaybackMetrics metrics, ProblemHttpResult problem)
    {
        metrics.Request(problem.StatusCode);
        return problem;
    }

    private sealed record KeptRange(string? From, string? To);
}
