using Grpc.Core;

namespace ListeningTogether.Transports.PubSub;

/// <summary>Which gRPC failures are worth another try (Google's retry settings for Pub/Sub).</summary>
internal static class TransientStatus
{
    /// <summary>
    /// For unary calls: Google's retry codes for Publish. Internal, Unknown and Cancelled are among them because a
    /// connection the service closes under a call (an emulator stopping, a server going away) ends it with them.
    /// Acknowledge, ModifyAckDeadline and the create calls are safe to repeat, so they retry the same.
    /// </summary>
    public static bool IsTransient(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Aborted
            or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled;

    /// <summary>For StreamingPull: the service also ends healthy streams cleanly (OK), so that reconnects too.</summary>
    public static bool IsTransientForStream(StatusCode code) =>
        IsTransient(code) || code is StatusCode.OK;
}
