using ListeningTogether.Abstractions.Options;

namespace ListeningTogether.Simulator;

/// <summary>
/// The dirty-input rates, checked. The kinds of a new record exclude each other (so each dirty record has exactly
/// one reason to be ineligible); redelivery is on top: that share of all records are copies of recent ones.
/// </summary>
internal sealed record SimulatorRates(double Malformed, double PrivateSession, double AnonymizedIp, double PrivateAddress, double Duplicate)
{
    public static SimulatorRates From(SimulatorOptions options)
    {
        var rates = new SimulatorRates(options.MalformedRate, options.PrivateSessionRate, options.AnonymizedIpRate, options.PrivateAddressRate, options.DuplicateRate);
        Check(rates.Malformed, nameof(SimulatorOptions.MalformedRate));
        Check(rates.PrivateSession, nameof(SimulatorOptions.PrivateSessionRate));
        Check(rates.AnonymizedIp, nameof(SimulatorOptions.AnonymizedIpRate));
        Check(rates.PrivateAddress, nameof(SimulatorOptions.PrivateAddressRate));
        Check(rates.Duplicate, nameof(SimulatorOptions.DuplicateRate));
        if (rates.Malformed + rates.PrivateSession + rates.AnonymizedIp + rates.PrivateAddress > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Simulator:MalformedRate, PrivateSessionRate, AnonymizedIpRate and PrivateAddressRate add up to more than 1.");
        }

        return rates;
    }

    /// <summary>The kind of a new record for a uniform draw in [0, 1).</summary>
    public SimulatedPlayKind KindOf(double u) =>
        (u -= Malformed) < 0 ? SimulatedPlayKind.Malformed
        : (u -= PrivateSession) < 0 ? SimulatedPlayKind.PrivateSession
        : (u -= AnonymizedIp) < 0 ? SimulatedPlayKind.AnonymizedIp
        : (u -= PrivateAddress) < 0 ? SimulatedPlayKind.PrivateAddress
        : SimulatedPlayKind.Clean;

    private static void Check(double rate, string name)
    {
        if (!(rate is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(name, rate, $"Simulator:{name} must be between 0 and 1.");
        }
    }
}
