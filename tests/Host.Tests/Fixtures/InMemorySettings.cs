using Microsoft.Extensions.Configuration;

namespace ListeningTogether.Host.Tests.Fixtures;

/// <summary>Configuration from key-value pairs, as the command line or environment would give them.</summary>
internal static class InMemorySettings
{
    public static IConfigurationRoot Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
}
