using System.ComponentModel.DataAnnotations;

namespace ListeningTogether.Abstractions.Options;

/// <summary>Settings of the <c>Sinks</c> section: how the streaming stages ride out a failing write.</summary>
public sealed class SinksOptions
{
    public const string Section = "Sinks";

    /// <summary>
    /// A write that fails with a cause that may pass (no space, an I/O error, an unavailable transport) is retried
    /// this long before the process ends with exit code 1.
    /// </summary>
    [Range(1, 86_400)]
    public int MaxOutageSeconds { get; set; } = 30;
}
