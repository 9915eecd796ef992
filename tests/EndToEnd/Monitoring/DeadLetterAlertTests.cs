using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ListeningTogether.EndToEnd.Fixtures;
using ListeningTogether.EndToEnd.Site;

namespace ListeningTogether.EndToEnd.Monitoring;

/// <summary>
/// A real Prometheus scraping a real <c>lt run</c> every second, with deploy/monitoring/alerts.yml loaded with
/// every minute made a second (<see cref="MonitoringFiles.RulesInSeconds"/>): the dead-letter alert fires while
/// half the records are malformed and clears once they stop.
/// </summary>
public sealed partial class DeadLetterAlertTests
{
    private const string Alert = "LtDeadLetterRatioHigh";
    private const int PlaysPerSecond = 200;
    private static readonly TimeSpan FiresWithin = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ClearsWithin = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StaysClearFor = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task GivenPrometheusScrapingLt_WhenDeadLettersSpikeAndThenStop_ThenTheDeadLetterAlertFiresAndClears()
    {
        Lt.RequireRealCityDb();
        using var temp = new TempDirectory();

        // The spike and the recovery are two processes on two targets: the simulator's malformed rate is fixed per
        // process, and a second port cannot be taken in between by anything else. rate() sees each from zero.
        string spiking = $"127.0.0.1:{SiteServer.FreePort()}";
        string healthy = $"127.0.0.1:{SiteServer.FreePort()}";
        using PrometheusServer prometheus = await PrometheusServer.StartAsync(temp, MonitoringFiles.RulesInSeconds(), [spiking, healthy]);

        PrometheusRule rule = Assert.Single(await prometheus.AlertingRulesAsync(), r => r.Name == Alert);
        Match comparison = ThresholdComparison().Match(rule.Query);
        Assert.True(comparison.Success, $"{Alert} is not '<ratio> > <threshold>': {rule.Query}");
        string ratio = comparison.Groups["ratio"].Value;
        double threshold = double.Parse(comparison.Groups["threshold"].Value, CultureInfo.InvariantCulture);

        // Half of every second's records are malformed: far above the threshold.
        var clock = Stopwatch.StartNew();
        using LtProcess spike = StartLt(spiking, malformedRate: 0.5);
        await WaitUntilAsync(
            FiresWithin,
            async () => (await prometheus.AlertsAsync()).Any(a => a.Name == Alert && a.State == "firing"),
            async () => $"{Alert} did not fire within {FiresWithin.TotalSeconds} s of lt starting with half its records malformed. "
                + await DiagnosticsAsync(prometheus, ratio, spike));
        TimeSpan fired = clock.Elapsed;

        await spike.InterruptAsync();
        await spike.WaitAsync(TimeSpan.FromSeconds(30));

        // No malformed records from now on. The alert must clear because the ratio computed from the new
        // process's records is low, not because the spiking target stopped answering (which empties the
        // expression as well): so the ratio must have a value, below the threshold.
        using LtProcess calm = StartLt(healthy, malformedRate: 0);
        (string, double)? lastRatio = null;
        await WaitUntilAsync(
            ClearsWithin,
            async () =>
            {
                var now = await prometheus.QueryAsync(ratio);
                lastRatio = now.Count == 1 ? (string.Join(",", now[0].Labels), now[0].Value) : null;
                return lastRatio is (_, double value) && value < threshold
                    && (await prometheus.QueryAsync($"up{{instance=\"{healthy}\"}} == 1")).Count == 1
                    && !(await prometheus.AlertsAsync()).Any(a => a.Name == Alert);
            },
            async () => $"{Alert} (fired after {fired.TotalSeconds:0} s) did not clear within {ClearsWithin.TotalSeconds} s of "
                + $"lt running without malformed records. Last ratio: {lastRatio?.ToString() ?? "none"}. "
                + await DiagnosticsAsync(prometheus, ratio, calm));

        // And it stays clear (not even pending) while the records stay clean.
        var clear = Stopwatch.StartNew();
        while (clear.Elapsed < StaysClearFor)
        {
            IReadOnlyList<PrometheusAlert> alerts = await prometheus.AlertsAsync();
            Assert.DoesNotContain(alerts, a => a.Name == Alert);
            await Task.Delay(500);
        }
    }

    private static LtProcess StartLt(string address, double malformedRate) => Lt.Start(
    [
        "run",
        $"--Urls=http://{address}",
        $"--Simulator:PlaysPerSecond={PlaysPerSecond}",
        string.Create(CultureInfo.InvariantCulture, $"--Simulator:MalformedRate={malformedRate}"),
    ]);

    private static async Task WaitUntilAsync(TimeSpan within, Func<Task<bool>> condition, Func<Task<string>> failure)
    {
        var waiting = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waiting.Elapsed > within)
            {
                Assert.Fail(await failure());
            }

            await Task.Delay(500);
        }
    }

    private static async Task<string> DiagnosticsAsync(PrometheusServer prometheus, string ratio, LtProcess lt)
    {
        var rules = await prometheus.AlertingRulesAsync();
        var alerts = await prometheus.AlertsAsync();
        var up = await prometheus.QueryAsync("up");
        var now = await prometheus.QueryAsync(ratio);
        return $"""

            rules: {string.Join("; ", rules.Select(r => $"{r.Name} {r.Health} {r.LastError}"))}
            alerts: {string.Join("; ", alerts.Select(a => $"{a.Name} {a.State}"))}
            up: {string.Join("; ", up.Select(u => $"{u.Labels["instance"]}={u.Value}"))}
            ratio: {string.Join("; ", now.Select(r => r.Value.ToString(CultureInfo.InvariantCulture)))}
            lt exited: {lt.HasExited}
            --- lt stdout (end)
            {Tail(lt.Stdout)}
            --- prometheus log (end)
            {Tail(prometheus.Log)}
            """;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "..." + text[^4000..];

    /// <summary>The rule's expression as Prometheus prints it: "RATIO > THRESHOLD".</summary>
    [GeneratedRegex(@"^(?<ratio>.+\S)\s*>\s*(?<threshold>[0-9.]+)\s*$", RegexOptions.Singleline)]
    private static partial Regex ThresholdComparison();
}
