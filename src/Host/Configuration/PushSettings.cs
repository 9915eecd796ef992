using ListeningTogether.Abstractions.Options;

namespace ListeningTogether.Host.Configuration;

/// <summary>The <c>Push</c> section and the connection settings of the chosen kind, validated at start.</summary>
internal sealed record PushSettings(PushOptions Push, RedisPushOptions Redis, AzureSignalRPushOptions AzureSignalR)
{
    public static PushSettings Bind(IConfiguration configuration)
    {
        var push = ValidatedOptions.Bind<PushOptions>(configuration, PushOptions.Section, "Redis", "AzureSignalR");
        var redis = ValidatedOptions.Bind<RedisPushOptions>(configuration, RedisPushOptions.Section);
        var azure = ValidatedOptions.Bind<AzureSignalRPushOptions>(configuration, AzureSignalRPushOptions.Section);
        string? required = push.Kind switch
        {
            PushKind.Redis => redis.ConnectionString,
            PushKind.AzureSignalR => azure.ConnectionString,
            _ => "not needed",
        };
        if (string.IsNullOrWhiteSpace(required))
        {
            throw new SettingsException($"Invalid setting Push:{push.Kind}:ConnectionString: it is required with Push:Kind={push.Kind}.");
        }

        return new PushSettings(push, redis, azure);
    }
}
