using System.Runtime;

namespace ListeningTogether.Host.Composition;

/// <summary>
/// Multicore JIT (<see cref="ProfileOptimization"/>) per verb: the methods a verb compiled in its last run are
/// compiled again, ahead of their first call, on a core that start-up leaves idle. <c>lt</c> compiles optimized
/// at the first call, so a short replay otherwise spends a large part of its start on one core in the JIT. The
/// profiles live in the temporary folder; when it cannot be written, the run just goes without.
/// </summary>
internal static class StartupJitProfile
{
    private static readonly string[] Verbs = ["serve", "run", "replay", "merge", "simulate"];

    public static void Start(IReadOnlyList<string> args)
    {
        string verb = args.Count > 0 && Verbs.Contains(args[0], StringComparer.Ordinal) ? args[0] : "serve";
        try
        {
            string folder = Path.Combine(Path.GetTempPath(), "listening-together-jit");
            Directory.CreateDirectory(folder);
            ProfileOptimization.SetProfileRoot(folder);
            ProfileOptimization.StartProfile(verb + ".jitprofile");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No profile: the JIT compiles at each first call, as without one.
        }
    }
}
