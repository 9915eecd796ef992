namespace ListeningTogether.LoadTool;

/// <summary>One simulated viewer: a connection to the hub that records which co-plays arrived and when.</summary>
internal interface IViewer : IAsyncDisposable
{
    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>What arrived of the co-plays the server pushed within [fromMs, toMs) of its clock, with their receipt times.</summary>
    List<(ReceivedCoPlay CoPlay, long ReceivedAtMs)> PushedBetween(long fromMs, long toMs);

    /// <summary>Everything that arrived since the last call, which the viewer then forgets (a long run keeps no history).</summary>
    List<(ReceivedCoPlay CoPlay, long ReceivedAtMs)> TakeReceived();

    /// <summary>Whether the connection is still open.</summary>
    bool IsConnected { get; }
}
