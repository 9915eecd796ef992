namespace ListeningTogether.Simulator;

/// <summary>What a simulated record is meant to be: a clean play or one kind of dirty input.</summary>
public enum SimulatedPlayKind
{
    /// <summary>An eligible play whose IP geolocates to the simulated city.</summary>
    Clean,

    /// <summary><c>"privateSession":true</c>; otherwise clean.</summary>
    PrivateSession,

    /// <summary><c>"ip":null</c> or <c>"ip":""</c>.</summary>
    AnonymizedIp,

    /// <summary>An address from a non-public range (10/8, 172.16/12, 192.168/16, 100.64/10, fe80::/10, fc00::/7).</summary>
    PrivateAddress,

    /// <summary>Not one well-formed play record; see <see cref="MalformedShape"/>.</summary>
    Malformed,
}
