using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ListeningTogether.Host.Web;

/// <summary>
/// This site replica's name (DESIGN.md "One world view"): it names the replica's own results subscription and its
/// SignalR group. <c>Site:ReplicaName</c> when set; else <c>HOSTNAME</c> (a pod's name); else machine name, process
/// id and 4 random characters. Always lower-case <c>[a-z0-9-]</c>, at most 63 characters.
/// </summary>
public sealed record SiteReplica(string Name)
{
    private const int MaxLength = 63;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static SiteReplica From(SiteOptions site, Func<string, string?> environment)
    {
        if (site.ReplicaName is { Length: > 0 } configured)
        {
            return new SiteReplica(configured);
        }

        if (environment("HOSTNAME") is { Length: > 0 } hostName && Clean(hostName) is { Length: > 0 } pod)
        {
            return new SiteReplica(pod);
        }

        string random = string.Create(4, 0, static (chars, _) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
        string suffix = string.Create(CultureInfo.InvariantCulture, $"-{Environment.ProcessId}-{random}");
        string machine = Clean(Environment.MachineName);
        machine = machine.Length == 0 ? "site" : machine[..Math.Min(machine.Length, MaxLength - suffix.Length)].TrimEnd('-');
        return new SiteReplica(machine + suffix);
    }

    /// <summary>Lower-case, every other character a '-', trimmed of leading and trailing dashes, at most 63 characters.</summary>
    private static string Clean(string name)
    {
        var clean = new StringBuilder(name.Length);
        foreach (char c in name.ToLowerInvariant())
        {
            clean.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-');
        }

        string trimmed = clean.ToString().Trim('-');
        return trimmed[..Math.Min(trimmed.Length, MaxLength)].TrimEnd('-');
    }
}
