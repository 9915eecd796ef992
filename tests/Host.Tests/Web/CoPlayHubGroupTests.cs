using System.Security.Claims;
using ListeningTogether.Host.Web;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// DESIGN.md "Exactly once per viewer": a viewer joins its replica's group, which every push goes to, before it is
/// sent the recent co-plays (so nothing pushed meanwhile is missed), and a viewer whose join fails is not counted.
/// </summary>
public sealed class CoPlayHubGroupTests
{
    private readonly List<string> _calls = [];
    private readonly ViewerConnections _viewers = new(Options.Create(new SiteOptions()));
    private readonly RecordingGroups _groups;

    public CoPlayHubGroupTests() => _groups = new RecordingGroups(_calls);

    private CoPlayHub CreateSut() => new(new RecentCoPlays(Options.Create(new SiteOptions())), _viewers, new SiteReplica("osaka-1"), new RunningApplication())
    {
        Context = new ViewerContext("connection-1"),
        Groups = _groups,
        Clients = new Callers(new RecordingViewer(_calls)),
    };

    [Fact]
    public async Task GivenAViewerConnecting_WhenTheHubAcceptsIt_ThenItJoinsTheReplicasGroupBeforeItIsSentRecent()
    {
        using CoPlayHub sut = CreateSut();

        await sut.OnConnectedAsync();

        Assert.Equal(["join connection-1 to site-osaka-1", "Recent (0 co-plays)"], _calls);
        Assert.Equal(1, _viewers.Count);
    }

    [Fact]
    public async Task GivenTheGroupJoinFails_WhenAViewerConnects_ThenTheFailureIsThrownAndTheViewerIsNotCounted()
    {
        using CoPlayHub sut = CreateSut();
        _groups.Failure = new TimeoutException("Timeout performing SUBSCRIBE");

        var thrown = await Assert.ThrowsAsync<TimeoutException>(sut.OnConnectedAsync);

        Assert.Equal("Timeout performing SUBSCRIBE", thrown.Message);
        Assert.Equal(0, _viewers.Count);
        Assert.Empty(_calls);
    }

    private sealed class ViewerContext(string connectionId) : HubCallerContext
    {
        public override string ConnectionId => connectionId;

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User => null;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort() => throw new NotSupportedException("The viewer was refused.");
    }

    private sealed class RecordingGroups(List<string> calls) : IGroupManager
    {
        public Exception? Failure { get; set; }

        public Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
        {
            if (Failure is { } failure)
            {
                return Task.FromException(failure);
            }

            calls.Add($"join {connectionId} to {groupName}");
            return Task.CompletedTask;
        }

        public Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

    private sealed class RecordingViewer(List<string> calls) : ICoPlayViewerClient
    {
        public Task CoPlays(IReadOnlyList<CoPlayView> items) => throw new NotSupportedException();

        public Task Recent(IReadOnlyList<CoPlayView> items)
        {
            calls.Add($"Recent ({items.Count} co-plays)");
            return Task.CompletedTask;
        }

        public Task Stats(StatsView stats) => throw new NotSupportedException();
    }

    /// <summary>Only the caller can be reached: the hub sends nothing to anyone else itself.</summary>
    private sealed class Callers(ICoPlayViewerClient caller) : IHubCallerClients<ICoPlayViewerClient>
    {
        public ICoPlayViewerClient Caller => caller;

        public ICoPlayViewerClient Others => throw new NotSupportedException();

        public ICoPlayViewerClient All => throw new NotSupportedException();

        public ICoPlayViewerClient OthersInGroup(string groupName) => throw new NotSupportedException();

        public ICoPlayViewerClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public ICoPlayViewerClient Client(string connectionId) => throw new NotSupportedException();

        public ICoPlayViewerClient Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

        public ICoPlayViewerClient Group(string groupName) => throw new NotSupportedException();

        public ICoPlayViewerClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public ICoPlayViewerClient Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();

        public ICoPlayViewerClient User(string userId) => throw new NotSupportedException();

        public ICoPlayViewerClient Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }

    private sealed class RunningApplication : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => throw new NotSupportedException();
    }
}
