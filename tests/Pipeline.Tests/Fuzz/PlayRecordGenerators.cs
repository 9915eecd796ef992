using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace ListeningTogether.Pipeline.Tests.Fuzz;

/// <summary>
/// FsCheck generators of play records near the edge of DESIGN.md's input rules: every field present, missing,
/// null or of another type; ids at the length limit, escaped or not ASCII; playedAt as text and as epoch
/// milliseconds around the range bounds; addresses in every text form; unknown and duplicated fields; any order.
/// </summary>
internal static class PlayRecordGenerators
{
    private static readonly string[] OtherValues = ["null", "true", "false", "0", "-1", "1.5e3", "{}", "[]", "[1,{\"a\":[]}]", "{\"ip\":\"1.2.3.4\"}", "\"\""];

    private static readonly string[] Texts =
    [
        "e1", "spotify:track:4uLU6hMCjMI75M1A2tKUQC", "\\u00e9t\\u00e9", "\\ud83d\\ude00", "caf\u00e9", "\uD83D\uDE00", "a\\\"b", "\\n", "\\ud800",
        new string('x', 128), new string('x', 129), new string('\u00e9', 128), new string('\u00e9', 129),
    ];

    private static readonly string[] PlayedAts =
    [
        "\"2026-11-26T14:03:22.431Z\"", "\"2026-11-26t14:03:22z\"", "\"2026-11-26T14:03:22.123456789+05:30\"", "\"1999-12-31T23:59:59.999Z\"",
        "\"2000-01-01T00:00:00Z\"", "\"2099-12-31T23:59:59.999-23:59\"", "\"2100-01-01T00:00:00Z\"", "\"2026-02-29T00:00:00Z\"",
        "\"2024-02-29T24:00:00Z\"", "\"2026-11-26T14:03:60Z\"", "\"2026-11-26T14:03:22.Z\"", "\"2026-11-26T14:03:22.1234567890Z\"",
        "\"9999-12-31T23:59:59Z\"", "\"0000-01-01T00:00:00+23:59\"", "\"2026-11-26 14:03:22Z\"",
        "946684800000", "946684799999", "4102444799999", "4102444800000", "1795701802431", "-1795701802431", "1795701802431.0",
        "1.795701802431e12", "999999999999999999", "9999999999999999999", "-9223372036854775808",
    ];

    private static readonly string[] Ips =
    [
        "\"81.2.69.142\"", "\"2001:db8::1\"", "\"::ffff:81.2.69.142\"", "\"::\"", "\"::1\"", "\"1:2:3:4:5:6:7:8\"", "\"1:2:3:4:5:6:7::\"",
        "\"1:2:3:4:5:6:1.2.3.4\"", "\"fe80::1%eth0\"", "\"[2001:db8::1]\"", "\"010.1.1.1\"", "\"256.1.1.1\"", "\"1.2.3\"", "\"1.2.3.4.\"",
        "\"1::2::3\"", "\":::\"", "\"12345::\"", "\"0.0.0.0\"", "\"255.255.255.255\"", "\"10.0.0.1\"", "\"100.64.0.1\"", "\"\"",
    ];

    public static Gen<string> Field(string name, Gen<string> values) =>
        Gen.Frequency(
            (8, values.Select(v => $"\"{name}\":{v}")),
            (1, Gen.Elements(OtherValues).Select(v => $"\"{name}\":{v}")),
            (1, Gen.Constant(string.Empty)));

    public static Gen<string> Text { get; } = Gen.Elements(Texts).Select(t => $"\"{t}\"");

    public static Gen<string> Record { get; } =
        from fields in Gen.CollectToArray(new[]
        {
            Field("eventId", Text),
            Field("trackId", Text),
            Field("userId", Text),
            Field("ip", Gen.Elements(Ips)),
            Field("playedAt", Gen.Elements(PlayedAts)),
            Field("privateSession", Gen.Elements("true", "false", "null")),
            Field("extra", Gen.Elements(OtherValues)),
            Field("ip", Gen.Elements(Ips)),
        })
        from order in Gen.Shuffle(fields.ToArray())
        select "{" + string.Join(",", order.Where(f => f.Length > 0)) + "}";

    /// <summary>A sample of records, the same for the same seed: the valid inputs mutations start from.</summary>
    public static byte[][] Corpus(int seed, int count) =>
        [.. Record.Sample(20, new Rnd((ulong)seed), count).Select(Encoding.UTF8.GetBytes)];
}
