using Grpc.Core;

namespace ListeningTogether.Transports.PubSub;

/// <summary>Which gRPC failures are worth another try (Google's retry settings for Pub/Sub).</summary>
internal static class TransientStatus
{
    /// <summary>For unary calls: publish, acknowledge, modify ack deadline, admin calls.</summary>
    public static bool IsTransient(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Aborted;

    /// <summary>For StreamingPull: the service also ends healthy streams with Internal or Cancelled, so those reconnect too.</summary>
    public static bool IsTransientForStream(StatusCode code) =>
        IsTransient(code) || code is StatusCode.Internal or StatusCode.Cancelled or StatusCode.Unknown or StatusCode.OK;
}
