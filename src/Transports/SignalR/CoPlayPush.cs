using ListeningTogether.Abstractions.Options;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ListeningTogether.Transports.SignalR;

/// <summary>Chooses how the site's SignalR hub reaches viewers, by configuration alone.</summary>
public static class CoPlayPush
{
    /// <summary>
    /// Self-hosted keeps connections in this process; Redis adds the backplane, which carries every push and a
    /// group's members across site replicas; Azure SignalR Service holds the connections itself. With either of the
    /// last two a push to all clients would reach every replica's viewers, so the site pushes to its own replica's
    /// group only (DESIGN.md "Exactly once per viewer").
    /// </summary>
    public static ISignalRServerBuilder UsePush(this ISignalRServerBuilder signalR, PushOptions push, RedisPushOptions redis, AzureSignalRPushOptions azure)
    {
        ArgumentNullException.ThrowIfNull(push);
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(azure);
        switch (push.Kind)
        {
            case PushKind.Redis:
                string redisConnection = Required(redis.ConnectionString, RedisPushOptions.Section);
                signalR.Services.AddSingleton<BackplaneStatus>();
                signalR.Services.AddSingleton<BackplaneConnector>();
                signalR.AddStackExchangeRedis(redisConnection, backplane => backplane.Configuration.ChannelPrefix = RedisChannel.Literal(redis.ChannelPrefix));
                signalR.Services.AddOptions<RedisOptions>().Configure<BackplaneConnector>((backplane, connector) =>
                    backplane.ConnectionFactory = log => connector.ConnectAsync(backplane.Configuration, log));
                break;
            case PushKind.AzureSignalR:
                string azureConnection = Required(azure.ConnectionString, AzureSignalRPushOptions.Section);
                signalR.AddAzureSignalR(service => service.ConnectionString = azureConnection);
                break;
            case PushKind.SelfHosted:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(push), push.Kind, "Unknown push kind.");
        }

        return signalR;
    }

    private static string Required(string? value, string section) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException($"Invalid setting {section}:ConnectionString: it is required with Push:Kind={section[(section.IndexOf(':', StringComparison.Ordinal) + 1)..]}.")
            : value;
}
