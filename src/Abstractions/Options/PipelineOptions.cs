using System.ComponentModel.DataAnnotations;

namespace ListeningTogether.Abstractions.Options;

/// <summary>Settings of the <c>Pipeline</c> section: windows, watermark, the co-play rule and the viewer cap.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Tumbling window length; must divide one hour so windows never span hours.</summary>
    [Range(1, 3_600_000)]
    public int WindowMs { get; set; } = 1000;

    [Range(0, 86_400_000)]
    public int AllowedLatenessMs { get; set; } = 2000;

    /// <summary>Processing time without plays after which every open window is emitted; null means WindowMs + AllowedLatenessMs.</summary>
    [Range(1, 86_400_000)]
    public int? IdleFlushMs { get; set; }

    /// <summary>
    /// Processing time after a stage's first play for which its watermark stays put (0, the default: none). Set it to
    /// the time a crashed worker's plays take to come back, so that a restarted worker places them rather than
    /// counting them late (README, "The start hold").
    /// </summary>
    [Range(0, 86_400_000)]
    public int StartHoldMs { get; set; }

    [Range(0.0, 40_000.0)]
    public double MinDistanceKm { get; set; } = 100;

    [Range(0, int.MaxValue)]
    public int MaxAccuracyRadiusKm { get; set; } = 250;

    [Range(0, 1_000_000)]
    public int MaxPerSecond { get; set; } = 20;

    [Range(0, 86_400_000)]
    public int MaxFutureSkewMs { get; set; } = 60_000;

    public int EffectiveIdleFlushMs => IdleFlushMs ?? (WindowMs + AllowedLatenessMs);
}
