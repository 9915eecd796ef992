using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using Grpc.Net.Client;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// The gRPC channel to Pub/Sub: plain HTTP/2 to the emulator (<c>EmulatorHost</c>, else PUBSUB_EMULATOR_HOST), else
/// TLS to pubsub.googleapis.com with Application Default Credentials (scope pubsub), fetched on the first call.
/// </summary>
internal static class PubSubChannel
{
    public const string ServiceAddress = "https://pubsub.googleapis.com";
    public const string Scope = "https://www.googleapis.com/auth/pubsub";
    public const string EmulatorVariable = "PUBSUB_EMULATOR_HOST";

    /// <summary>
    /// Longest wait between the channel's attempts to connect again (gRPC's default is 120 s): calls fail at once
    /// meanwhile, so a service that is back is reached within this.
    /// </summary>
    public static readonly TimeSpan MaxReconnectBackoff = TimeSpan.FromSeconds(2);

    /// <summary>The emulator's host:port from the settings or the environment, or null for the real service.</summary>
    public static string? EmulatorHost(PubSubTransportOptions options, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(options.EmulatorHost))
        {
            return options.EmulatorHost.Trim();
        }

        string? fromEnvironment = environment(EmulatorVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment.Trim();
    }

    public static GrpcChannel Create(string? emulatorHost, Func<CancellationToken, Task<GoogleCredential>> credentials)
    {
        var handler = new SocketsHttpHandler
        {
            // Several StreamingPull streams and publish requests at once: more than one HTTP/2 connection if needed.
            EnableMultipleHttp2Connections = true,
            InitialHttp2StreamWindowSize = 4 * 1024 * 1024,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };
        var options = new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            MaxSendMessageSize = 16 * 1024 * 1024,
            DisposeHttpClient = true,
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(250),
            MaxReconnectBackoff = MaxReconnectBackoff,
        };
        if (emulatorHost is not null)
        {
            options.Credentials = ChannelCredentials.Insecure;
            return GrpcChannel.ForAddress("http://" + emulatorHost, options);
        }

        var token = CallCredentials.FromInterceptor(async (context, metadata) =>
        {
            GoogleCredential credential = await credentials(context.CancellationToken).ConfigureAwait(false);
            string accessToken = await ((ITokenAccess)credential).GetAccessTokenForRequestAsync(ServiceAddress, context.CancellationToken).ConfigureAwait(false);
            metadata.Add("authorization", "Bearer " + accessToken);
        });
        options.Credentials = ChannelCredentials.Create(ChannelCredentials.SecureSsl, token);
        return GrpcChannel.ForAddress(ServiceAddress, options);
    }
}
