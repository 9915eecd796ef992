using ListeningTogether.Host.Web;
using ListeningTogether.Transports.SignalR;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// Pushes to viewers are a live view: one the push backplane cannot carry is dropped and logged once per outage,
/// never thrown at the site stage or the stats loop (either would end the site). They go to this replica's group
/// only (DESIGN.md "Exactly once per viewer"), whatever carries them.
/// </summary>
public sealed class ViewerBroadcastTests
{
    private static readonly Exception RedisAway = new RedisConnectionException(ConnectionFailureType.SocketClosed, "SocketClosed on 127.0.0.1:6379/Interactive");

    private readonly ScriptedViewers _viewers = new();
    private readonly LogRecorder _log = new();

    private readonly ScriptedHub _hub;

    public ViewerBroadcastTests() => _hub = new ScriptedHub(_viewers);

    private ViewerBroadcast CreateSut(BackplaneStatus? backplane = null) => new(_hub, new SiteReplica("osaka-1"), _log, backplane);

    [Fact]
    public async Task GivenTheReplicaOsaka1_WhenCoPlaysAndStatsArePushed_ThenBothGoToItsGroupAndNeverToAllClients()
    {
        ViewerBroadcast sut = CreateSut();

        await sut.SendAsync(v => v.CoPlays([]), CancellationToken.None);
        await sut.SendAsync(v => v.Stats(Stats()), CancellationToken.None);

        Assert.Equal(2, _viewers.Calls);
        Assert.Equal(["site-osaka-1"], _hub.AudiencesAsked);
    }

    [Fact]
    public async Task GivenPushesTheBackplaneCannotCarry_WhenSent_ThenEachIsDroppedNotThrownAndTheOutageIsLoggedOnce()
    {
        ViewerBroadcast sut = CreateSut();
        _viewers.Failure = RedisAway;

        bool first = await sut.SendAsync(v => v.Stats(Stats()), CancellationToken.None);
        bool second = await sut.SendAsync(v => v.CoPlays([]), CancellationToken.None);

        Assert.False(first);
        Assert.False(second);
        Assert.Equal(2, sut.Dropped);
        Assert.Equal(["Warning: Push: viewers get no pushes while the push backplane is away (RedisConnectionException: SocketClosed on 127.0.0.1:6379/Interactive); the site goes on"], _log.Lines);
    }

    [Fact]
    public async Task GivenDroppedPushes_WhenTheBackplaneCarriesOneAgain_ThenItIsSentAndTheDropsAreCountedOnceInTheLog()
    {
        ViewerBroadcast sut = CreateSut();
        _viewers.Failure = RedisAway;
        await sut.SendAsync(v => v.Stats(Stats()), CancellationToken.None);
        await sut.SendAsync(v => v.Stats(Stats()), CancellationToken.None);
        await sut.SendAsync(v => v.Stats(Stats()), CancellationToken.None);

        _viewers.Failure = null;
        bool sent = await sut.SendAsync(v => v.Stats(Stats()), CancellationToken.None);
        bool next = await sut.SendAsync(v => v.Stats(Stats()), CancellationToken.None);

        Assert.True(sent);
        Assert.True(next);
        Assert.Equal(0, sut.Dropped);
        Assert.Equal(5, _viewers.Calls);
        Assert.Equal("Information: Push: pushes reach viewers again; 3 were dropped meanwhile", _log.Lines[^1]);
        Assert.Equal(2, _log.Lines.Count);
    }

    [Fact]
    public async Task GivenABackplaneThatIsNotConnected_WhenAPushIsSent_ThenTheHubIsNotAskedAndThePushIsDropped()
    {
        ViewerBroadcast sut = CreateSut(new BackplaneStatus());

        bool sent = await sut.SendAsync(v => v.Stats(Stats()), CancellationToken.None);

        Assert.False(sent);
        Assert.Equal(0, _viewers.Calls);
        Assert.Equal(["Warning: Push: viewers get no pushes while the push backplane is away (Push:Redis:ConnectionString: not connected yet); the site goes on"], _log.Lines);
    }

    [Fact]
    public async Task GivenTheSiteStopping_WhenAPushIsCancelled_ThenTheCancellationIsThrown()
    {
        ViewerBroadcast sut = CreateSut();
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();
        _viewers.Failure = new OperationCanceledException(stopping.Token);

        await Assert.ThrowsAsync<OperationCanceledException>(() => sut.SendAsync(v => v.Stats(Stats()), stopping.Token).AsTask());
        Assert.Empty(_log.Lines);
    }

    private static StatsView Stats() => new(0, 0, 0, 1, []);

    private sealed class ScriptedViewers : ICoPlayViewerClient
    {
        private int _calls;

        public Exception? Failure { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public Task CoPlays(IReadOnlyList<CoPlayView> items) => Push();

        public Task Recent(IReadOnlyList<CoPlayView> items) => Push();

        public Task Stats(StatsView stats) => Push();

        private Task Push()
        {
            Interlocked.Increment(ref _calls);
            return Failure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
        }
    }

    /// <summary>
    /// A hub whose only audience is a group of the scripted viewers, as the Azure SignalR Service and Redis lifetime
    /// managers are reached through it: it records the groups asked for; any other audience fails the test.
    /// </summary>
    private sealed class ScriptedHub(ICoPlayViewerClient viewers) : IHubContext<CoPlayHub, ICoPlayViewerClient>
    {
        private readonly Audiences _audiences = new(viewers);

        public IHubClients<ICoPlayViewerClient> Clients => _audiences;

        public IGroupManager Groups => throw new NotSupportedException();

        public IReadOnlyList<string> AudiencesAsked => _audiences.Asked;

        private sealed class Audiences(ICoPlayViewerClient viewers) : IHubClients<ICoPlayViewerClient>
        {
            private readonly List<string> _asked = [];

            public IReadOnlyList<string> Asked => _asked;

            public ICoPlayViewerClient All => throw new NotSupportedException("Push to all clients");

            public ICoPlayViewerClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

            public ICoPlayViewerClient Client(string connectionId) => throw new NotSupportedException();

            public ICoPlayViewerClient Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

            public ICoPlayViewerClient Group(string groupName)
            {
                _asked.Add(groupName);
                return viewers;
            }

            public ICoPlayViewerClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

            public ICoPlayViewerClient Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();

            public ICoPlayViewerClient User(string userId) => throw new NotSupportedException();

            public ICoPlayViewerClient Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
        }
    }

    private sealed class LogRecorder : ILogger<ViewerBroadcast>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
