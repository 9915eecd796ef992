using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Streaming.Health;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Replay.Output.Results;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Streaming;

/// <summary>
/// <c>serve --stage site</c>: co-plays from the results topic or hub to the site's viewers. Match replicas publish a
/// window's co-plays at about the same time, so a window is shown once none of its co-plays arrived for
/// <see cref="QuietMs"/>; a redelivered co-play of a window already shown is dropped. Messages are acknowledged
/// once shown.
/// </summary>
internal sealed partial class SiteStage(
    IPlaySource results,
    IEnumerable<ICoPlaySink> sinks,
    IEnumerable<ICoPlayViewerSink> viewers,
    IOptions<PipelineOptions> options,
    PipelineCounters counters,
    TimeProvider clock,
    ILogger<SiteStage> logger,
    StageSupervisor? supervisor = null) : BackgroundService, IStageStatus
{
    public const int QuietMs = 200;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    private readonly SortedDictionary<long, PendingWindow> _pending = [];
    private readonly SortedSet<long> _shown = [];
    private readonly ViewerSelection _selection = new(options.Value.MaxPerSecond, options.Value.WindowMs);
    private readonly StageSupervisor _supervisor = supervisor ?? StageSupervisor.Standalone(clock);

    private volatile bool _reading;

    public bool IsReading => _reading;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(logger);
        LoopHeartbeat heartbeat = _supervisor.StartLoop("site", results);
        _reading = true;
        try
        {
            await RunAsync(heartbeat, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was not shown stays unacknowledged and comes back.
        }
        catch (Exception e)
        {
            _supervisor.Fail("The site stage", e);
        }
        finally
        {
            heartbeat.End();
        }
    }

    private async Task RunAsync(LoopHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        await using var messages = new MessageStream(results, stoppingToken);
        Task<bool> next = messages.MoveNextAsync().AsTask();
        while (true)
        {
            heartbeat.Beat();

            // A timer only when nothing is waiting: a busy results stream needs none per message.
            if (next.IsCompleted || await Task.WhenAny(next, Task.Delay(Tick, clock, stoppingToken)).ConfigureAwait(false) == next)
            {
                if (!await next.ConfigureAwait(false))
                {
                    break;
                }

                await AddAsync(messages.Current, stoppingToken).ConfigureAwait(false);
                next = messages.MoveNextAsync().AsTask();
            }

            await ShowQuietWindowsAsync(all: false, stoppingToken).ConfigureAwait(false);
        }

        await ShowQuietWindowsAsync(all: true, stoppingToken).ConfigureAwait(false);
    }

    private async ValueTask AddAsync(IReceivedMessage message, CancellationToken cancellationToken)
    {
        if (!CoPlayJsonlReader.TryParse(message.Payload.Span, out CoPlay? coPlay, out _))
        {
            LogUnreadable(logger, message.Source);
            await message.AckAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_shown.Contains(coPlay!.WindowStartMs))
        {
            await message.AckAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!_pending.TryGetValue(coPlay.WindowStartMs, out PendingWindow? window))
        {
            window = new PendingWindow();
            _pending.Add(coPlay.WindowStartMs, window);
        }

        window.Add(coPlay, message, clock.GetTimestamp());
    }

    private async ValueTask ShowQuietWindowsAsync(bool all, CancellationToken cancellationToken)
    {
        while (_pending.Count > 0)
        {
            KeyValuePair<long, PendingWindow> first = _pending.First();
            if (!all && clock.GetElapsedTime(first.Value.LastArrival).TotalMilliseconds < QuietMs)
            {
                return;
            }

            _pending.Remove(first.Key);
            Remember(first.Key);
            List<CoPlay> coPlays = first.Value.CoPlays;
            coPlays.Sort(CoPlayOrder.Instance);
            foreach (ICoPlaySink sink in sinks)
            {
                await sink.WriteAsync(coPlays, cancellationToken).ConfigureAwait(false);
            }

            IReadOnlyList<CoPlay> selected = _selection.Select(first.Key, coPlays);
            foreach (ICoPlayViewerSink viewer in viewers)
            {
                await viewer.ShowAsync(selected, cancellationToken).ConfigureAwait(false);
            }

            foreach (IReceivedMessage message in first.Value.Messages)
            {
                await message.AckAsync(cancellationToken).ConfigureAwait(false);
            }

            counters.Emitted(coPlays.Count);
        }
    }

    /// <summary>Keeps the last few minutes of shown windows, to drop redeliveries.</summary>
    private void Remember(long windowStartMs)
    {
        _shown.Add(windowStartMs);
        while (_shown.Count > 0 && _shown.Min < windowStartMs - 300_000)
        {
            _shown.Remove(_shown.Min);
        }
    }

    private sealed class PendingWindow
    {
        private readonly HashSet<string> _tracks = new(StringComparer.Ordinal);

        public List<CoPlay> CoPlays { get; } = [];

        public List<IReceivedMessage> Messages { get; } = [];

        public long LastArrival { get; private set; }

        public void Add(CoPlay coPlay, IReceivedMessage message, long timestamp)
        {
            if (_tracks.Add(coPlay.TrackId))
            {
                CoPlays.Add(coPlay);
            }

            Messages.Add(message);
            LastArrival = timestamp;
        }
    }

    [LoggerMessage(421, LogLevel.Information, "Site stage started: co-plays from the results topic to viewers")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(422, LogLevel.Warning, "An unreadable results message from {Source} was dropped")]
    private static partial void LogUnreadable(ILogger logger, string source);
}
