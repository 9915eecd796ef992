using ListeningTogether.Abstractions.Options;
using ListeningTogether.Replay.Archive;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListeningTogether.Host.Tests.Fixtures;

/// <summary>
/// A Parquet archive sink under a test folder (flushed every second of the test's clock) and its background loop;
/// stopping the loop turns the open segment into Parquet, as at the end of a run.
/// </summary>
internal sealed class RunningArchive(string root, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public ParquetArchiveSink Sink { get; } = new(new ArchiveOptions { ParquetDir = root, FlushMs = 1000 }, clock, NullLogger<ParquetArchiveSink>.Instance);

    public string Root => root;

    public void Start() => _running = Sink.RunAsync(_stop.Token);

    public async Task StopAsync()
    {
        if (_running is { } running)
        {
            _running = null;
            await _stop.CancelAsync();
            await running.WaitAsync(Patience);
        }
    }

    public void Dispose() => _stop.Dispose();
}
