using System.Text;
using System.Text.Json;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd.Monitoring;

/// <summary>deploy/monitoring/grafana-dashboard.json: importable anywhere (the data source is a variable), every query valid PromQL.</summary>
public sealed class DashboardTests
{
    /// <summary>What an operator needs on one screen (issue 12): each metric must be drawn by some panel.</summary>
    private static readonly string[] DrawnMetrics =
    [
        "lt_plays_total",
        "lt_coplays_total",
        "lt_watermark_delay_seconds",
        "lt_windows_open",
        "lt_push_latency_seconds_bucket",
        "lt_archive_lag_seconds",
        "lt_sink_failures_total",
        "lt_ready",
    ];

    private static IReadOnlyList<JsonElement> Panels(JsonDocument dashboard) =>
        [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()];

    private static IEnumerable<(string Panel, string Expr)> Queries(JsonDocument dashboard) =>
        Panels(dashboard).SelectMany(panel => panel.GetProperty("targets").EnumerateArray()
            .Select(target => (panel.GetProperty("title").GetString()!, target.GetProperty("expr").GetString()!)));

    [Fact]
    public void GivenTheDashboard_ThenItsDataSourceIsAPrometheusVariableEveryPanelUses()
    {
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(MonitoringFiles.Dashboard));

        JsonElement variable = Assert.Single(
            dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray(),
            v => v.GetProperty("type").GetString() == "datasource");
        Assert.Equal("datasource", variable.GetProperty("name").GetString());
        Assert.Equal("prometheus", variable.GetProperty("query").GetString());

        Assert.NotEmpty(Panels(dashboard));
        foreach (JsonElement panel in Panels(dashboard))
        {
            string title = panel.GetProperty("title").GetString()!;
            Assert.True(panel.GetProperty("datasource").GetProperty("uid").GetString() == "${datasource}", $"panel '{title}' names a fixed data source");
            JsonElement[] targets = [.. panel.GetProperty("targets").EnumerateArray()];
            Assert.True(targets.Length > 0, $"panel '{title}' has no query");
            Assert.All(targets, t => Assert.Equal("${datasource}", t.GetProperty("datasource").GetProperty("uid").GetString()));
        }
    }

    [Fact]
    public void GivenTheDashboard_ThenEveryOperatorMetricIsDrawn()
    {
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(MonitoringFiles.Dashboard));
        string[] expressions = [.. Queries(dashboard).Select(q => q.Expr)];

        Assert.All(DrawnMetrics, metric => Assert.True(
            expressions.Any(e => e.Contains(metric + "{", StringComparison.Ordinal)),
            $"no panel of grafana-dashboard.json queries {metric}"));
    }

    [Fact]
    public async Task GivenTheDashboard_WhenPromtoolChecksEveryQuery_ThenEachParses()
    {
        string promtool = MonitoringFiles.RequireTool("promtool");
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(MonitoringFiles.Dashboard));
        using var temp = new TempDirectory();

        // Grafana's variables replaced by what Grafana would send, each query made a recording rule for promtool.
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int index = 0;
        foreach ((string panel, string expr) in Queries(dashboard))
        {
            string promQl = expr.Replace("$__rate_interval", "2m", StringComparison.Ordinal)
                .Replace("$job", ".*", StringComparison.Ordinal)
                .Replace("$instance", ".*", StringComparison.Ordinal);
            Assert.False(promQl.Contains('$', StringComparison.Ordinal), $"panel '{panel}' uses a variable the dashboard does not define: {expr}");
            rules.Append("      - record: dashboard:query").Append(index++).Append('\n')
                .Append("        expr: ").Append(JsonSerializer.Serialize(promQl)).Append('\n');
        }

        File.WriteAllText(temp.Combine("dashboard-queries.yml"), rules.ToString());
        LtResult check = await MonitoringFiles.RunToolAsync(promtool, "check", "rules", temp.Combine("dashboard-queries.yml"));

        Assert.True(check.ExitCode == 0, $"a dashboard query is not valid PromQL: {check}");
        Assert.Contains($"SUCCESS: {index} rules found", check.Stdout, StringComparison.Ordinal);
    }
}
