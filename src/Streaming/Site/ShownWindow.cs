using ListeningTogether.Abstractions;

namespace ListeningTogether.Streaming.Site;

/// <summary>How a window leaves the site's waiting room.</summary>
public enum WindowOutcome
{
    /// <summary>Every shard has all of it.</summary>
    Complete,

    /// <summary>Shown after <c>Site:CompletenessTimeoutMs</c> without every shard.</summary>
    Incomplete,

    /// <summary>Never shown: it ended before this site had a watermark from every shard, so it may have missed part of it.</summary>
    BeforeStart,
}

/// <summary>A window a site is done waiting for, with its co-plays (one per track, in <c>CoPlayOrder</c>) and their messages.</summary>
public sealed record ShownWindow<TAck>(long WindowStartMs, IReadOnlyList<CoPlay> CoPlays, IReadOnlyList<TAck> Acks, WindowOutcome Outcome);
