using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Web;

namespace ListeningTogether.Host.Composition;

/// <summary>
/// A web application builder on our settings only (appsettings.json, LT__ environment, --Section:Key arguments),
/// listening on Urls and, when set, on Management:Urls.
/// </summary>
internal static class WebHostFactory
{
    public const string DefaultUrls = "http://localhost:8080";

    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(3);

    public static WebApplicationBuilder CreateBuilder(IConfigurationRoot configuration)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, WebRootPath = "wwwroot" });
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseKestrelCore();
        string siteUrls = ListenUrls.Validate("Urls", configuration["Urls"] ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? DefaultUrls);
        if (configuration["Management:Urls"] is { Length: > 0 } managementUrls)
        {
            ListenUrls.Validate("Management:Urls", managementUrls);
        }

        var management = ManagementPort.From(configuration, siteUrls);
        builder.WebHost.UseUrls(management.IsSeparate ? $"{siteUrls};{management.Urls}" : siteUrls);
        builder.Services.AddSingleton(management);
        var allowedHosts = AllowedHosts.From(configuration);
        builder.Services.AddSingleton(allowedHosts);
        builder.Services.AddHostFiltering(filtering => filtering.AllowedHosts = [.. allowedHosts.Hosts]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

        // The health check service logs an error for every probe it answers 503; what is not ready is logged where
        // it fails, and /readyz and lt_ready say it, so a pod waiting for a dependency does not fill the log with errors.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.None);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.AddRouting();

        // Open hub connections and in-flight requests get this long to finish when the process is asked to stop.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        return builder;
    }
}
