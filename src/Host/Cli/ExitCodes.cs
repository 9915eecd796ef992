namespace ListeningTogether.Host.Cli;

/// <summary>The exit codes of DESIGN.md "Failure, exit codes and readiness".</summary>
internal static class ExitCodes
{
    /// <summary>The verb finished its work, or a streaming process stopped cleanly when asked to.</summary>
    public const int Done = 0;

    /// <summary>A runtime failure that cannot pass.</summary>
    public const int Failed = 1;

    /// <summary>Refused before work: a bad argument, setting, input or output.</summary>
    public const int Refused = 2;

    /// <summary>A batch verb stopped by SIGINT; SIGTERM gives 143 (see <see cref="TerminationSignals"/>).</summary>
    public const int Interrupted = 130;
}
