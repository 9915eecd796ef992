using System.Runtime.InteropServices;

namespace ListeningTogether.Host.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM as a cancellation token, remembering which came first. Unlike System.CommandLine's own
/// handling, which ends the process two seconds after the signal whether or not the verb has finished, the verb gets
/// the time it needs to remove its temporary files; a second signal ends the process at once.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _received;

    public TerminationSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>The exit code of a verb stopped by the signal received: 130 for SIGINT, 143 for SIGTERM (128 + its number).</summary>
    public int InterruptedExitCode => Volatile.Read(ref _received) == 0 ? ExitCodes.Interrupted : 128 + _received;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        int number = context.Signal == PosixSignal.SIGINT ? 2 : 15;
        if (Interlocked.CompareExchange(ref _received, number, 0) != 0)
        {
            // Asked again while stopping: the default action ends the process now.
            return;
        }

        context.Cancel = true;
        _cancellation.Cancel();
    }
}
