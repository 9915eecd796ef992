using Grpc.Core;
using ListeningTogether.Transports.PubSub;
using ListeningTogether.Transports.PubSub.V1;

namespace ListeningTogether.Tests.Shared;

/// <summary>What a test asks the Pub/Sub emulator about subscriptions, as an operator would.</summary>
internal static class PubSubSubscriptions
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Whether <paramref name="subscription"/> exists; an emulator that does not answer within 30 s fails the test.</summary>
    public static async Task<bool> ExistsAsync(PubSubConnection connection, string subscription)
    {
        try
        {
            await connection.SubscriberClient.GetSubscriptionAsync(
                new GetSubscriptionRequest { Subscription = connection.SubscriptionName(subscription) },
                deadline: DateTime.UtcNow.Add(Patience));
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
    }
}
