using System.Globalization;
using Microsoft.AspNetCore.Connections;

namespace ListeningTogether.Host.Configuration;

/// <summary>
/// Checks a listening setting (<c>Urls</c>, <c>Management:Urls</c>) before the host starts, and names the setting when
/// Kestrel cannot bind one of its addresses: a bad value or a port in use is refused with exit code 2.
/// </summary>
internal static class ListenUrls
{
    /// <summary>The value when every <c>;</c>-separated address is an http or https URL with a port of 0 to 65535.</summary>
    /// <exception cref="SettingsException">An address is not such a URL; the message names <paramref name="key"/> and the value.</exception>
    public static string Validate(string key, string value)
    {
        string[] addresses = Addresses(value);
        if (addresses.Length == 0)
        {
            throw Refused(key, value, "no address is given; expected a URL such as http://localhost:8080");
        }

        foreach (string address in addresses)
        {
            if (Problem(address) is { } problem)
            {
                throw Refused(key, value, addresses.Length == 1 ? problem : $"'{address}': {problem}");
            }
        }

        return value;
    }

    /// <summary>
    /// The setting that listed the address Kestrel could not bind, as a refusal naming it; null when
    /// <paramref name="failure"/> is not a bind failure.
    /// </summary>
    /// <param name="settings">The listening settings in force, most specific first (Management:Urls, then Urls).</param>
    public static SettingsException? DescribeBindFailure(IOException failure, IReadOnlyList<(string Key, string Value)> settings)
    {
        const string Prefix = "Failed to bind to address ";
        if (!failure.Message.StartsWith(Prefix, StringComparison.Ordinal) || settings.Count == 0)
        {
            return null;
        }

        string address = failure.Message[Prefix.Length..].Split(' ')[0].TrimEnd(':', '.');
        string cause = failure.InnerException switch
        {
            AddressInUseException => "the address is already in use",
            { Message: { Length: > 0 } message } => message.TrimEnd('.'),
            _ => failure.Message.TrimEnd('.'),
        };
        int? port = PortOf(address);
        (string key, string value) =
            settings.FirstOrDefault(s => Addresses(s.Value).Any(a => string.Equals(a.TrimEnd('/'), address, StringComparison.OrdinalIgnoreCase)))
            is { Key: not null } exact ? exact
            : settings.FirstOrDefault(s => Addresses(s.Value).Any(a => port is not null && PortOf(a) == port)) is { Key: not null } samePort ? samePort
            : settings[^1];
        return Refused(key, value, cause);
    }

    private static string[] Addresses(string value) =>
        value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static int? PortOf(string address)
    {
        try
        {
            return BindingAddress.Parse(address).Port;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? Problem(string address)
    {
        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return "not a URL such as http://localhost:8080 (a scheme, a host and a port)";
        }

        if (parsed.Scheme is not ("http" or "https"))
        {
            return $"the scheme '{parsed.Scheme}' cannot be served; use http or https";
        }

        if (parsed.IsUnixPipe)
        {
            return null;
        }

        if (parsed.Port is < 0 or > 65535)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the port {parsed.Port} is outside 0 to 65535");
        }

        return string.IsNullOrEmpty(parsed.Host) ? "no host is given" : null;
    }

    private static SettingsException Refused(string key, string value, string problem) =>
        new($"{key} '{value}': {problem}");
}
