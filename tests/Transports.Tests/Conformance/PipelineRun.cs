using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Streaming;
using ListeningTogether.Replay.Output.Results;
using ListeningTogether.Streaming;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Transports.Tests.Conformance;

/// <summary>
/// The Host's real streaming pipeline over one transport reader, with the real City database, a JSONL co-play
/// sink, a dead-letter recorder and a log of which payloads were acknowledged and whether their window was
/// emitted by then.
/// </summary>
internal sealed class PipelineRun : IAsyncDisposable
{
    private readonly StageService<StreamingPipeline> _pipeline;
    private readonly BufferSink _sink = new();

    private PipelineRun(IPlaySource source, GeoDatabases geo, PipelineOptions options)
    {
        _pipeline = new StageService<StreamingPipeline>(new StreamingPipeline(
            new AckRecordingSource(source, this),
            new RawPlayReader(geo.Cities, geo.AnonymousIps, Options.Create(options)),
            Options.Create(options),
            [_sink],
            [],
            Counters,
            TimeProvider.System,
            NullLogger<StreamingPipeline>.Instance,
            DeadLetters));
    }

    public PipelineCounters Counters { get; } = new();

    public DeadLetterRecorder DeadLetters { get; } = new();

    /// <summary>Payloads acknowledged, as base64, in ack order (with repeats when a copy was acknowledged again).</summary>
    public ConcurrentQueue<string> Acked { get; } = new();

    /// <summary>The co-plays written so far, as DESIGN.md's JSONL.</summary>
    public string CoPlaysJsonl => _sink.Text;

    public static async Task<PipelineRun> StartAsync(IPlaySource source, GeoDatabases geo, PipelineOptions options)
    {
        var run = new PipelineRun(source, geo, options);
        await run._pipeline.StartAsync(CancellationToken.None);
        await run._pipeline.Stage.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return run;
    }

    /// <summary>Stops the worker as a crash would look to the transport: open windows stay unacknowledged.</summary>
    public async Task StopAsync() => await _pipeline.StopAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _pipeline.Dispose();
    }

    private sealed class AckRecordingSource(IPlaySource inner, PipelineRun run) : IPlaySource
    {
        public async IAsyncEnumerable<IReceivedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (IReceivedMessage message in inner.ReadAllAsync(cancellationToken))
            {
                yield return new AckRecordingMessage(message, run);
            }
        }
    }

    private sealed class AckRecordingMessage(IReceivedMessage inner, PipelineRun run) : IReceivedMessage
    {
        public ReadOnlyMemory<byte> Payload => inner.Payload;

        public string Source => inner.Source;

        public DateTimeOffset ReceivedAt => inner.ReceivedAt;

        public PlayOverrides Overrides => inner.Overrides;

        public ValueTask AckAsync(CancellationToken cancellationToken)
        {
            run.Acked.Enqueue(Convert.ToBase64String(inner.Payload.Span));
            return inner.AckAsync(cancellationToken);
        }
    }

    private sealed class BufferSink : ICoPlaySink
    {
        private readonly Lock _lock = new();
        private readonly ArrayBufferWriter<byte> _buffer = new();

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return Encoding.UTF8.GetString(_buffer.WrittenSpan);
                }
            }
        }

        public ValueTask WriteAsync(IReadOnlyList<CoPlay> coPlays, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                foreach (CoPlay coPlay in coPlays)
                {
                    CoPlayJsonl.Write(_buffer, coPlay);
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Dead letters the pipeline wrote, safe to read while it runs.</summary>
internal sealed class DeadLetterRecorder : IDeadLetterSink
{
    public ConcurrentQueue<DeadLetter> Entries { get; } = new();

    public void Write(DeadLetter deadLetter) => Entries.Enqueue(deadLetter);
}
