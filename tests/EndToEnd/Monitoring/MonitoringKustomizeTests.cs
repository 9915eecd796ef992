using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd.Monitoring;

/// <summary>deploy/monitoring/kustomization.yaml: the rules and the dashboard shipped as ConfigMaps.</summary>
public sealed class MonitoringKustomizeTests
{
    [Fact]
    public async Task GivenTheMonitoringKustomization_WhenRendered_ThenItShipsTheRulesAndTheDashboardForTheSidecar()
    {
        string kubectl = MonitoringFiles.RequireTool("kubectl");

        LtResult render = await MonitoringFiles.RunToolAsync(kubectl, "kustomize", MonitoringFiles.Folder);

        Assert.True(render.ExitCode == 0, $"kubectl kustomize {MonitoringFiles.Folder} failed: {render}");
        string[] documents = render.Stdout.Split("\n---\n");
        string rules = Assert.Single(documents, d => d.Contains("name: lt-prometheus-rules", StringComparison.Ordinal));
        Assert.Contains("  alerts.yml: |", rules, StringComparison.Ordinal);
        Assert.All(MonitoringFiles.AlertNames, alert => Assert.Contains($"- alert: {alert}\n", rules, StringComparison.Ordinal));
        string dashboard = Assert.Single(documents, d => d.Contains("name: lt-grafana-dashboard", StringComparison.Ordinal));
        Assert.Contains("grafana_dashboard: \"1\"", dashboard, StringComparison.Ordinal);
        Assert.Contains("  listening-together.json: |", dashboard, StringComparison.Ordinal);
        Assert.Contains("\"uid\": \"listening-together\"", dashboard, StringComparison.Ordinal);
    }
}
