using System.Diagnostics;
using System.Text.RegularExpressions;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd.Monitoring;

/// <summary>
/// deploy/monitoring (alert rules, their promtool tests, the Grafana dashboard) and the Debian <c>prometheus</c>
/// package's binaries, which scripts/setup.sh installs.
/// </summary>
public static partial class MonitoringFiles
{
    public static string Folder => Path.Combine(Lt.Root, "deploy", "monitoring");

    public static string Rules => Path.Combine(Folder, "alerts.yml");

    public static string Dashboard => Path.Combine(Folder, "grafana-dashboard.json");

    public static IReadOnlyList<string> RuleTests =>
        [.. Directory.GetFiles(Path.Combine(Folder, "tests"), "*.yml").Order(StringComparer.Ordinal)];

    /// <summary>The alert names in alerts.yml, in file order.</summary>
    public static IReadOnlyList<string> AlertNames =>
        [.. AlertLine().Matches(File.ReadAllText(Rules)).Select(m => m.Groups[1].Value)];

    /// <summary>
    /// alerts.yml with every minute made a second: each range <c>[Nm]</c> becomes <c>[Ns]</c> and each <c>for: Nm</c>
    /// <c>for: Ns</c>; expressions, thresholds and labels stay as shipped. This is how the end-to-end test runs the
    /// production rules in seconds.
    /// </summary>
    public static string RulesInSeconds()
    {
        string rules = File.ReadAllText(Rules);
        string scaled = ForMinutes().Replace(RangeMinutes().Replace(rules, "[${n}s]"), "for: ${n}s");
        Match left = AnyLongDuration().Match(scaled);
        Assert.False(
            left.Success,
            $"alerts.yml has a duration the minutes-to-seconds substitution does not cover ('{left.Value}'); "
            + "write ranges and `for:` in whole minutes or extend MonitoringFiles.RulesInSeconds.");
        return scaled;
    }

    /// <summary>The full path of a program on PATH; fails the test, naming the package, when it is missing.</summary>
    public static string RequireTool(string name)
    {
        string? found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
        if (found is null)
        {
            Assert.Fail($"{name} is missing: run ./scripts/setup.sh, which installs the Debian package prometheus (apt-get install -y prometheus).");
        }

        return found;
    }

    /// <summary>Runs a program to its end (60 s at most) and returns its exit code and output.</summary>
    public static async Task<LtResult> RunToolAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Lt.Root,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} did not finish within 60 s.");
        }

        return new LtResult(process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"^\s*- alert: (\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"\[(?<n>\d+)m\]")]
    private static partial Regex RangeMinutes();

    [GeneratedRegex(@"\bfor: (?<n>\d+)m\b")]
    private static partial Regex ForMinutes();

    [GeneratedRegex(@"\[\d+[mhdwy]\]|\bfor: \d+[mhdwy]\b|\[\d+[smhdwy]\d")]
    private static partial Regex AnyLongDuration();
}
