using System.Diagnostics;
using System.Globalization;
using ListeningTogether.Replay;

namespace ListeningTogether.Host.Cli;

/// <summary>
/// Replay progress on stderr: a redrawn bar with rows/s and ETA on a terminal, plain lines every few seconds
/// when stderr is redirected.
/// </summary>
internal sealed class ConsoleProgress : IProgress<ReplayProgress>
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private TimeSpan _lastDraw = TimeSpan.MinValue;
    private string? _lastPhase;

    public void Report(ReplayProgress value)
    {
        lock (_gate)
        {
            TimeSpan now = _clock.Elapsed;
            bool phaseChanged = value.Phase != _lastPhase;
            TimeSpan interval = _interactive ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(5);
            if (!phaseChanged && now - _lastDraw < interval && value.Done < value.Total)
            {
                return;
            }

            if (phaseChanged && _lastPhase is not null && _interactive)
            {
                Console.Error.WriteLine();
            }

            _lastPhase = value.Phase;
            _lastDraw = now;
            double fraction = value.Total == 0 ? 1 : (double)value.Done / value.Total;
            double rate = value.Records / Math.Max(now.TotalSeconds, 1e-3);
            TimeSpan eta = fraction <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(now.TotalSeconds * (1 - fraction) / fraction);
            string bar = new string('#', (int)(fraction * 30)).PadRight(30, '.');
            string line = string.Create(CultureInfo.InvariantCulture, $"{value.Phase,-8} [{bar}] {fraction,4:P0} {value.Records:N0} records {rate:N0}/s ETA {eta:mm\\:ss}");
            if (_interactive)
            {
                Console.Error.Write("\r" + line);
            }
            else
            {
                Console.Error.WriteLine(line);
            }
        }
    }

    public void Finish()
    {
        if (_interactive && _lastPhase is not null)
        {
            Console.Error.WriteLine();
        }
    }
}
