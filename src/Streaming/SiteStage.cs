using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Streaming.Health;
using ListeningTogether.Streaming.Results;
using ListeningTogether.Streaming.Site;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Streaming;

/// <summary>
/// <c>serve --stage site</c>: co-plays from the results topic or hub to the site's viewers (DESIGN.md "One world
/// view"). Every site replica reads all results; a window is shown once every match shard's watermark says it has
/// all of it (<see cref="WindowCompleteness{TAck}"/>), then the viewer rule picks its co-plays, so every replica
/// in every region shows the same ones in the same order. A co-play of a window already shown goes to the sinks and
/// is counted, never shown; one of a window this replica may have seen only in part (before it had every shard's
/// first watermark) goes to the sinks only. Co-plays are acknowledged once their window is done with, watermarks at once.
/// </summary>
public sealed partial class SiteStage(
    IPlaySource results,
    ICoPlayMessageFormat format,
    IEnumerable<ICoPlaySink> sinks,
    IEnumerable<ICoPlayViewerSink> viewers,
    IOptions<PipelineOptions> options,
    PipelineCounters counters,
    TimeProvider clock,
    ILogger<SiteStage> logger,
    SiteStageSettings? settings = null,
    StageSupervisor? supervisor = null) : IStreamingStage
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    private readonly WindowCompleteness<IReceivedMessage> _windows =
        new(options.Value.WindowMs, (settings ?? SiteStageSettings.Default).CompletenessTimeout, clock, logger);

    private readonly List<ShownWindow<IReceivedMessage>> _ready = [];
    private readonly ViewerSelection _selection = new(options.Value.MaxPerSecond, options.Value.WindowMs);
    private readonly StageSupervisor _supervisor = supervisor ?? StageSupervisor.Standalone(clock);

    private volatile bool _reading;

    public bool IsReading => _reading;

    public Task RunAsync(CancellationToken stoppingToken)
    {
        LogStarted(logger);
        return _supervisor.RunLoopAsync("site", results, "The site stage", RunAsync, stoppingToken);
    }

    private async Task RunAsync(LoopHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        _reading = true;
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

            _windows.TakeReady(_ready);
            await ShowAsync(stoppingToken).ConfigureAwait(false);
        }

        // The results ended (a finite source): what is complete by now is shown; the rest has no one left to wait for.
        _windows.TakeReady(_ready);
        await ShowAsync(stoppingToken).ConfigureAwait(false);
    }

    private async ValueTask AddAsync(IReceivedMessage message, CancellationToken cancellationToken)
    {
        if (!format.TryRead(message.Payload.Span, out ResultsMessage result))
        {
            LogUnreadable(logger, message.Source);
            await message.AckAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (result.Watermark is { } watermark)
        {
            _windows.Add(watermark);
            await message.AckAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        CoPlay coPlay = result.CoPlay!;
        switch (_windows.Add(coPlay, result.Shard, message))
        {
            case CoPlayArrival.Waiting:
                return;
            case CoPlayArrival.Late:
                // Too late for viewers, not for the results: the sinks are idempotent on window and track.
                counters.LateAtSite();
                await WriteSinksAsync([coPlay], cancellationToken).ConfigureAwait(false);
                break;
            case CoPlayArrival.BeforeStart:
                await WriteSinksAsync([coPlay], cancellationToken).ConfigureAwait(false);
                break;
        }

        await message.AckAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ShowAsync(CancellationToken cancellationToken)
    {
        foreach (ShownWindow<IReceivedMessage> window in _ready)
        {
            IReadOnlyList<CoPlay> coPlays = window.CoPlays;
            await WriteSinksAsync(coPlays, cancellationToken).ConfigureAwait(false);
            if (window.Outcome != WindowOutcome.BeforeStart)
            {
                IReadOnlyList<CoPlay> selected = _selection.Select(window.WindowStartMs, coPlays);
                if (selected.Count > 0)
                {
                    foreach (ICoPlayViewerSink viewer in viewers)
                    {
                        await viewer.ShowAsync(selected, cancellationToken).ConfigureAwait(false);
                    }
                }

                counters.Emitted(coPlays.Count);
                if (window.Outcome == WindowOutcome.Incomplete)
                {
                    counters.ShownIncomplete();
                }
            }

            foreach (IReceivedMessage message in window.Acks)
            {
                await message.AckAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        _ready.Clear();
    }

    private async ValueTask WriteSinksAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
    {
        foreach (ICoPlaySink sink in sinks)
        {
            await sink.WriteAsync(coPlays, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(421, LogLevel.Information, "Site stage started: co-plays from the results topic to viewers, each window once every match shard has all of it")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(422, LogLevel.Warning, "An unreadable results message from {Source} was dropped")]
    private static partial void LogUnreadable(ILogger logger, string source);
}
