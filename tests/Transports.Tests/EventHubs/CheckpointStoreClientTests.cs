using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure;
using Azure.Messaging.EventHubs.Processor;
using ListeningTogether.Transports.EventHubs;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>
/// The checkpoint store as the transport builds it from its settings, with a store that is away: a call fails
/// in seconds (its callers retry on intervals of their own), and the failure reads as one short line.
/// </summary>
public sealed class CheckpointStoreClientTests
{
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public async Task GivenAStoreNobodyListensFor_WhenACheckpointIsWritten_ThenItFailsWithinSecondsAfterThreeTries()
    {
        int port = ClosedPort();
        BlobCheckpointStore store = EventHubsClientFactory.CreateCheckpointStore(
            new EventHubsCheckpointStoreOptions
            {
                ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;",
                Container = "checkpoints",
            },
            () => throw new InvalidOperationException("A connection string needs no credential."));
        var clock = Stopwatch.StartNew();

        AggregateException failure = await Assert.ThrowsAsync<AggregateException>(() => store.UpdateCheckpointAsync(
            "127.0.0.1", "plays", "$Default", "0", "replica", new CheckpointPosition("1000", 1), CancellationToken.None));

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(8));
        Assert.Equal($"Connection refused (127.0.0.1:{port}), 3 tries", CheckpointStoreFailure.Describe(failure));
    }

    [Fact]
    public void GivenAnAnswerWithAStatus_WhenDescribed_ThenTheStatusAndErrorCodeAreNamed()
    {
        var answered = new RequestFailedException(403, "This request is not authorized to perform this operation.", "AuthorizationFailure", null);

        Assert.Equal("HTTP 403, AuthorizationFailure", CheckpointStoreFailure.Describe(answered));
        Assert.Equal("HTTP 403, AuthorizationFailure, 2 tries", CheckpointStoreFailure.Describe(new AggregateException(new TimeoutException("slow"), answered)));
        Assert.Equal("TimeoutException: slow", CheckpointStoreFailure.Describe(new TimeoutException("slow")));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
