using System.ComponentModel.DataAnnotations;

namespace ListeningTogether.Transports.InMemory;

/// <summary>Settings of <c>Transport:InMemory</c>: the in-process channel between publishers and the pipeline.</summary>
public sealed class InMemoryTransportOptions
{
    public const string Section = "Transport:InMemory";

    /// <summary>Messages the channel holds before publishers wait (backpressure, nothing dropped).</summary>
    [Range(1, 10_000_000)]
    public int Capacity { get; set; } = 100_000;
}
