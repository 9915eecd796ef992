namespace ListeningTogether.Streaming.Site;

/// <summary>What a site did with a co-play from the results topic.</summary>
public enum CoPlayArrival
{
    /// <summary>Held until its window is complete.</summary>
    Waiting,

    /// <summary>Its window already has this track's co-play: a redelivery, dropped.</summary>
    Repeat,

    /// <summary>Its window was already shown: never shown, counted.</summary>
    Late,

    /// <summary>Its window ended before this site had a watermark from every shard: never shown.</summary>
    BeforeStart,
}
