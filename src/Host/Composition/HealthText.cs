using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ListeningTogether.Host.Composition;

/// <summary>A health answer as one line of text: "Healthy", or "Unhealthy: " and what is wrong (the failing parts, by name).</summary>
internal static class HealthText
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        string problems = string.Join("; ", report.Entries.Values
            .Where(e => e.Status != HealthStatus.Healthy && e.Description is { Length: > 0 })
            .Select(e => e.Description));
        return context.Response.WriteAsync(problems.Length == 0 ? report.Status.ToString() : $"{report.Status}: {problems}", context.RequestAborted);
    }
}
