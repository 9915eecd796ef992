using System.Globalization;

namespace ListeningTogether.Tests.Shared.Fuzz;

/// <summary>
/// How long a fuzz campaign runs, from the environment: <c>LT_FUZZ_CASES</c> (cases per target, else each
/// target's CI count times <c>LT_FUZZ_SCALE</c>, 1 by default), <c>LT_FUZZ_SEED</c> (the run's seed, else a fixed one so CI is reproducible),
/// <c>LT_FUZZ_CASE</c> (run only that case, to reproduce a failure) and <c>LT_FUZZ_REPORT</c> (a file each
/// target appends "target cases defects" to, for bench/fuzz.sh) and <c>LT_FUZZ_DEFECTS</c> (a directory each
/// defect's input is saved to, as <c>target/seed-case.bin</c>, to be kept in tests/data/fuzz as a regression).
/// </summary>
internal static class FuzzSettings
{
    public const int DefaultSeed = 13;

    public static int Cases(int ciCases) =>
        Number("LT_FUZZ_CASES") is { } cases ? (int)Math.Max(1, cases) : (int)Math.Clamp(ciCases * (Number("LT_FUZZ_SCALE") ?? 1), 1, int.MaxValue);

    public static int Seed => Number("LT_FUZZ_SEED") is { } seed ? (int)seed : DefaultSeed;

    public static int? OnlyCase => Number("LT_FUZZ_CASE") is { } only ? (int)only : null;

    public static string? ReportFile => Environment.GetEnvironmentVariable("LT_FUZZ_REPORT") is { Length: > 0 } path ? path : null;

    public static string? DefectDirectory => Environment.GetEnvironmentVariable("LT_FUZZ_DEFECTS") is { Length: > 0 } path ? path : null;

    /// <summary>The inputs that once were defects of a target, replayed before its generated cases: tests/data/fuzz/target.</summary>
    public static IEnumerable<string> Regressions(string target)
    {
        string directory = Path.Combine(RepositoryPaths.Root, "tests", "data", "fuzz", target);
        return Directory.Exists(directory) ? Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal) : [];
    }

    private static long? Number(string name) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : null;
}
