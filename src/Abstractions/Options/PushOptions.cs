using System.ComponentModel.DataAnnotations;

namespace ListeningTogether.Abstractions.Options;

/// <summary>How co-plays reach browsers: the SignalR hub in this process, Azure SignalR Service, or a Redis backplane.</summary>
public enum PushKind
{
    SelfHosted,
    AzureSignalR,
    Redis,
}

/// <summary>Settings of the <c>Push</c> section; each kind's connection settings are in its own subsection.</summary>
public sealed class PushOptions
{
    public const string Section = "Push";

    public PushKind Kind { get; set; } = PushKind.SelfHosted;
}

/// <summary>Settings of <c>Push:Redis</c>: the SignalR Redis backplane that lets several site replicas reach every viewer.</summary>
public sealed class RedisPushOptions
{
    public const string Section = "Push:Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis:6379,password=...</c> (a secret: never logged).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of the backplane's Redis channels, so several sites can share one Redis.</summary>
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$", ErrorMessage = "must be 1 to 64 letters, digits, '_', '.' or '-'.")]
    public string ChannelPrefix { get; set; } = "listening-together";
}

/// <summary>Settings of <c>Push:AzureSignalR</c>: Azure SignalR Service carries the connections to viewers.</summary>
public sealed class AzureSignalRPushOptions
{
    public const string Section = "Push:AzureSignalR";

    /// <summary><c>Endpoint=https://NAME.service.signalr.net;AccessKey=...;Version=1.0;</c>, or without AccessKey for a managed identity (a secret: never logged).</summary>
    public string? ConnectionString { get; set; }
}
