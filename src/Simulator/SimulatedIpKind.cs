namespace ListeningTogether.Simulator;

/// <summary>What the <c>ip</c> field of a simulated play holds.</summary>
public enum SimulatedIpKind
{
    /// <summary><c>"ip":null</c>, the client anonymized its address.</summary>
    Null,

    /// <summary><c>"ip":""</c>, also anonymized.</summary>
    Empty,

    IPv4,
    IPv6,
}
