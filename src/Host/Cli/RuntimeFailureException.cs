namespace ListeningTogether.Host.Cli;

/// <summary>
/// A runtime failure that cannot pass (DESIGN.md "Failure, exit codes and readiness"): the process ends with exit
/// code 1 and this message, which names the key, file or URL and the cause, as its one line on stderr.
/// </summary>
internal sealed class RuntimeFailureException(string message, Exception? cause = null) : Exception(message, cause);
