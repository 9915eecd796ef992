using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ListeningTogether.EndToEnd.Site;

namespace ListeningTogether.EndToEnd.Monitoring;

/// <summary>An alert as Prometheus's /api/v1/alerts shows it.</summary>
public sealed record PrometheusAlert(string Name, string State, IReadOnlyDictionary<string, string> Labels);

/// <summary>An alerting rule as /api/v1/rules shows it: its expression as loaded, its health and last error.</summary>
public sealed record PrometheusRule(string Name, string Query, string Health, string? LastError);

/// <summary>
/// A real Prometheus (Debian package <c>prometheus</c>) on a free loopback port with a fresh TSDB folder: scrapes the
/// given targets every second and evaluates the given rules every second. Killed on dispose.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly StringBuilder _log = new();
    private readonly Lock _gate = new();

    private PrometheusServer(Process process, int port)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Log
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Writes prometheus.yml and rules.yml into <paramref name="folder"/>, starts Prometheus and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(TempDirectory folder, string rules, IEnumerable<string> targets)
    {
        string prometheus = MonitoringFiles.RequireTool("prometheus");
        File.WriteAllText(folder.Combine("rules.yml"), rules);
        string config = $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
              - {folder.Combine("rules.yml")}
            scrape_configs:
              - job_name: lt
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """;
        File.WriteAllText(folder.Combine("prometheus.yml"), config);

        int port = SiteServer.FreePort();
        var start = new ProcessStartInfo(prometheus)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder.Path,
            ArgumentList =
            {
                $"--config.file={folder.Combine("prometheus.yml")}",
                $"--storage.tsdb.path={folder.Combine("tsdb")}",
                $"--web.listen-address=127.0.0.1:{port}",
            },
        };
        var server = new PrometheusServer(Process.Start(start)!, port);
        try
        {
            await server.WaitUntilReadyAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public async Task<IReadOnlyList<PrometheusAlert>> AlertsAsync()
    {
        using JsonDocument body = await GetAsync("/api/v1/alerts");
        return
        [
            .. body.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray().Select(alert =>
            {
                Dictionary<string, string> labels = alert.GetProperty("labels").EnumerateObject()
                    .ToDictionary(l => l.Name, l => l.Value.GetString() ?? "", StringComparer.Ordinal);
                return new PrometheusAlert(labels["alertname"], alert.GetProperty("state").GetString() ?? "", labels);
            }),
        ];
    }

    public async Task<IReadOnlyList<PrometheusRule>> AlertingRulesAsync()
    {
        using JsonDocument body = await GetAsync("/api/v1/rules?type=alert");
        return
        [
            .. body.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
                .SelectMany(group => group.GetProperty("rules").EnumerateArray())
                .Select(rule => new PrometheusRule(
                    rule.GetProperty("name").GetString() ?? "",
                    rule.GetProperty("query").GetString() ?? "",
                    rule.GetProperty("health").GetString() ?? "",
                    rule.TryGetProperty("lastError", out JsonElement error) ? error.GetString() : null)),
        ];
    }

    /// <summary>An instant query: each result's labels and value (NaN stays NaN).</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promQl)
    {
        using JsonDocument body = await GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promQl));
        return
        [
            .. body.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(sample =>
            (
                (IReadOnlyDictionary<string, string>)sample.GetProperty("metric").EnumerateObject()
                    .ToDictionary(l => l.Name, l => l.Value.GetString() ?? "", StringComparer.Ordinal),
                double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))),
        ];
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        _http.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        var waiting = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"prometheus exited with code {_process.ExitCode} before it was ready:\n{Log}");
            }

            if (waiting.Elapsed > ReadyWithin)
            {
                Assert.Fail($"prometheus was not ready within {ReadyWithin.TotalSeconds} s:\n{Log}");
            }

            try
            {
                using HttpResponseMessage ready = await _http.GetAsync(new Uri("/-/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }
    }

    private async Task<JsonDocument> GetAsync(string pathAndQuery)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"prometheus GET {pathAndQuery}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.Append(line).Append('\n');
        }
    }
}
