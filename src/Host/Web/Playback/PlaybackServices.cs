using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>Registers playback for the site: its sources (validated now), index, cached minutes, metrics and rate limit.</summary>
internal static class PlaybackServices
{
    public static IServiceCollection AddPlayback(this IServiceCollection services, IConfiguration configuration)
    {
        PlaybackOptions playback = PlaybackSettings.Bind(configuration);
        var results = ValidatedOptions.Bind<ResultsOptions>(configuration, ResultsOptions.Section);
        services.AddSingleton(PlaybackSettings.Sources(playback, results));
        services.AddSingleton<PlaybackIndex>();
        services.AddSingleton<PlaybackMetrics>();
        services.AddSingleton<PlaybackMinutes>();
        services.AddPlaybackRateLimit(playback);
        return services;
    }
}
