using ListeningTogether.Host.Web;
using ListeningTogether.Transports.SignalR;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// Pushes to viewers are a live view: one the push backplane cannot carry is dropped and logged once per outage,
/// never thrown at the site stage or the stats loop (either would end the site).
/// </summary>
public sealed class ViewerBroadcastTests
{
    private static readonly Exception RedisAway = new RedisConnectionException(ConnectionFailureType.SocketClosed, "SocketClosed on 127.0.0.1:6379/Interactive");

    private readonly ScriptedViewers _viewers = new();
    private readonly LogRecorder _log = new();

    private ViewerBroadcast CreateSut(BackplaneStatus? backplane = null) => new(new ScriptedHub(_viewers), _log, backplane);

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

    /// <summary>A hub whose every audience is the scripted viewers.</summary>
    private sealed class ScriptedHub(ICoPlayViewerClient viewers) : IHubContext<CoPlayHub, ICoPlayViewerClient>
    {
        public IHubClients<ICoPlayViewerClient> Clients { get; } = new Audiences(viewers);

        public IGroupManager Groups => throw new NotSupportedException();

        private sealed class Audiences(ICoPlayViewerClient viewers) : IHubClients<ICoPlayViewerClient>
        {
            public ICoPlayViewerClient All => viewers;

            public ICoPlayViewerClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => viewers;

            public ICoPlayViewerClient Client(string connectionId) => viewers;

            public ICoPlayViewerClient Clients(IReadOnlyList<string> connectionIds) => viewers;

            public ICoPlayViewerClient Group(string groupName) => viewers;

            public ICoPlayViewerClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => viewers;

            public ICoPlayViewerClient Groups(IReadOnlyList<string> groupNames) => viewers;

            public ICoPlayViewerClient User(string userId) => viewers;

            public ICoPlayViewerClient Users(IReadOnlyList<string> userIds) => viewers;
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
