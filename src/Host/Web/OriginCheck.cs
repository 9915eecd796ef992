using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Web;

/// <summary>
/// Refuses hub requests from pages of other origins: a browser sends Origin, which must be the site itself (its
/// own scheme and host, a host <see cref="AllowedHosts"/> vouches for) or one of <c>Site:AllowedOrigins</c>.
/// Requests without Origin (non-browser clients) pass.
/// </summary>
internal static class OriginCheck
{
    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app, string hubPath)
    {
        AllowedHosts hosts = app.ApplicationServices.GetRequiredService<AllowedHosts>();
        string[] allowedOrigins = app.ApplicationServices.GetRequiredService<IOptions<SiteOptions>>().Value.AllowedOrigins;
        return app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(hubPath) && context.Request.Headers.Origin is { Count: > 0 } origin
                && !IsAllowed(origin.ToString(), context.Request, hosts, allowedOrigins))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return context.Response.WriteAsync("Origin not allowed.");
            }

            return next(context);
        });
    }

    private static bool IsAllowed(string origin, HttpRequest request, AllowedHosts hosts, string[] allowedOrigins)
    {
        string self = $"{request.Scheme}://{request.Host}";
        if (string.Equals(origin, self, StringComparison.OrdinalIgnoreCase) && hosts.IsOwnHost(request.Host))
        {
            return true;
        }

        return allowedOrigins.Any(a => a == "*" || string.Equals(a.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
