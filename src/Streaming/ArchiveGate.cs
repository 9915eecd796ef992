using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Streaming.Health;

namespace ListeningTogether.Streaming;

/// <summary>
/// The archive's part in acknowledging (DESIGN.md "Archive durability" and "Delivery"): appends every received play
/// with a valid playedAt to the archive, never its user id, and holds a message's acknowledgement back until the
/// archive has its play on disk. Held messages are acknowledged in the order they were held. Without an archive
/// nothing is appended and nothing is held. While the archive cannot write, or falls far behind, the loop stops
/// reading (<see cref="WaitWhileBackloggedAsync"/>), so nothing piles up in memory. Used by one loop at a time,
/// like the stage that owns it.
/// </summary>
internal sealed class ArchiveGate(IPlayArchive? archive, PipelineCounters counters)
{
    /// <summary>Plays appended but not yet on disk beyond which the loop waits for the archive (about 20 MB of records).</summary>
    private const long MaxPendingPlays = 200_000;

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly Queue<Held> _held = new();
    private long _lastHeld;

    /// <summary>Messages and windows waiting for the archive.</summary>
    public int Holding => _held.Count;

    /// <summary>
    /// Appends the play when it has a valid playedAt (a transport's invalid event time counts as none) and returns its
    /// archive position, or 0 when it was not archived.
    /// </summary>
    public long Append(IReceivedMessage message, in PlayFields fields, IneligibleReason reason)
    {
        if (archive is null || !fields.HasPlayedAt || reason == IneligibleReason.InvalidPlayedAt)
        {
            return 0;
        }

        return archive.Append(new ArchivedPlay(
            fields.EventId,
            fields.TrackId,
            fields.Ip,
            fields.PlayedAtMs,
            fields.PrivateSession,
            message.ReceivedAt.ToUnixTimeMilliseconds()));
    }

    /// <summary>Holds <paramref name="message"/> until the play it appended at <paramref name="position"/> is durable; false when it may be acknowledged now.</summary>
    public bool Hold(long position, IReceivedMessage message) => Hold(position, message, null);

    /// <summary>
    /// Holds an emitted window's acknowledgements until every play appended so far is durable; false when they may be
    /// acknowledged now. A held window goes back to <paramref name="engine"/> once acknowledged, so its list is reused.
    /// </summary>
    public bool Hold(EmittedWindow<IReceivedMessage> window, StreamingCoPlayEngine<IReceivedMessage> engine) =>
        archive is not null && Hold(archive.Position, null, new HeldWindow(window, engine));

    /// <summary>Whether the archive cannot write now, or has too many plays not yet on disk, so the loop should not read.</summary>
    public bool IsBacklogged => archive is not null && (archive.WriteFailure is not null || archive.Position - archive.DurablePosition > MaxPendingPlays);

    /// <summary>Waits, acknowledging what becomes durable, until the archive is no longer backlogged.</summary>
    public async ValueTask WaitWhileBackloggedAsync(LoopHeartbeat heartbeat, TimeProvider clock, CancellationToken cancellationToken)
    {
        while (IsBacklogged)
        {
            // Waiting for the disk is progress: the archive's own retries decide when the process gives up.
            heartbeat.Beat();
            await AckDurableAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(Tick, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Acknowledges what was held, as far as the archive is durable now.</summary>
    public async ValueTask AckDurableAsync(CancellationToken cancellationToken)
    {
        if (archive is null)
        {
            return;
        }

        long durable = archive.DurablePosition;
        counters.ArchivedUpTo(durable);
        while (_held.TryPeek(out Held held) && held.Position <= durable)
        {
            _held.Dequeue();
            if (held.Message is { } message)
            {
                await message.AckAsync(cancellationToken).ConfigureAwait(false);
            }

            if (held.Window is { } window)
            {
                await AckWindowAsync(window.Emitted.Acks, cancellationToken).ConfigureAwait(false);
                window.Engine.Release(window.Emitted);
            }
        }
    }

    /// <summary>At the end of a finite source: asks for a flush, waits until every play appended is durable, then acknowledges everything held.</summary>
    public async ValueTask AckAllAsync(CancellationToken cancellationToken)
    {
        if (archive is not null)
        {
            await archive.WaitDurableAsync(archive.Position, cancellationToken).ConfigureAwait(false);
            await AckDurableAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Acknowledges the messages of an emitted window.</summary>
    public static async ValueTask AckWindowAsync(IReadOnlyList<IReceivedMessage> windowAcks, CancellationToken cancellationToken)
    {
        foreach (IReceivedMessage ack in windowAcks)
        {
            await ack.AckAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool Hold(long position, IReceivedMessage? message, HeldWindow? window)
    {
        if (archive is null || position <= archive.DurablePosition)
        {
            return false;
        }

        // Acknowledged in order, so an entry held after a later position waits for that one too: never too early.
        _lastHeld = Math.Max(_lastHeld, position);
        _held.Enqueue(new Held(_lastHeld, message, window));
        return true;
    }

    /// <summary>A message, or an emitted window's messages, to acknowledge once the archive is durable up to <see cref="Position"/>.</summary>
    private readonly record struct Held(long Position, IReceivedMessage? Message, HeldWindow? Window);

    /// <summary>An emitted window and the engine its ack list goes back to.</summary>
    private sealed record HeldWindow(EmittedWindow<IReceivedMessage> Emitted, StreamingCoPlayEngine<IReceivedMessage> Engine);
}
