using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Web;

/// <summary>
/// Refuses hub requests from pages of other origins: a browser sends Origin, which must be the site itself or one
/// of <c>Site:AllowedOrigins</c>. Requests without Origin (non-browser clients) pass.
/// </summary>
internal static class OriginCheck
{
    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app, string hubPath) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(hubPath) && context.Request.Headers.Origin is { Count: > 0 } origin
            && !IsAllowed(origin.ToString(), context))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsync("Origin not allowed.");
        }

        return next(context);
    });

    private static bool IsAllowed(string origin, HttpContext context)
    {
        string self = $"{context.Request.Scheme}://{context.Request.Host}";
        if (string.Equals(origin, self, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        string[] allowed = context.RequestServices.GetRequiredService<IOptions<SiteOptions>>().Value.AllowedOrigins;
        return allowed.Any(a => a == "*" || string.Equals(a.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
