using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Web;
using ListeningTogether.Host.Web.Playback;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Bench;

/// <summary>
/// DESIGN.md "Playback": <c>GET /api/coplays</c> of one whole hour over the replay output of the 10M-play hour
/// (bench/replay-vs-duckdb.sh makes it in <c>artifacts/bench/replay-out-10000000</c>; another folder by
/// <c>LT_PLAYBACK_OUTPUT</c>), through Kestrel on loopback with the response read to its end. Uncached: a fresh site
/// whose minute index is built (as at its start) but whose minutes were never read; cached: the same request again.
/// </summary>
[Config(typeof(InProcessMonitoring))]
[MemoryDiagnoser]
public class PlaybackRangeBenchmarks : IDisposable
{
    private string _output = "";
    private string _query = "";
    private WebApplication? _site;
    private HttpClient? _http;

    [Params(false, true)]
    public bool Cached { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _output = Environment.GetEnvironmentVariable("LT_PLAYBACK_OUTPUT") is { Length: > 0 } set
            ? set
            : Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(RepositoryPaths.DataFile("results")))!, "artifacts", "bench", "replay-out-10000000");
        if (!File.Exists(Path.Combine(_output, "coplays.parquet")))
        {
            throw new InvalidOperationException($"No replay output in '{_output}': run bench/replay-vs-duckdb.sh 10000000 --replay-only first, or set LT_PLAYBACK_OUTPUT.");
        }

        await StartAsync();
        using var response = await _http!.GetAsync("api/coplays/range");
        var range = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        DateTimeOffset from = DateTimeOffset.Parse(range.GetProperty("from").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        _query = $"api/coplays?from={from:yyyy-MM-dd'T'HH:mm:ss'Z'}&to={from.AddHours(1):yyyy-MM-dd'T'HH:mm:ss'Z'}";
    }

    [IterationSetup]
    public void IterationSetup()
    {
        if (!Cached)
        {
            // A fresh site: its index is built by the range request, its minute cache is empty.
            StopAsync().GetAwaiter().GetResult();
            StartAsync().GetAwaiter().GetResult();
            using HttpResponseMessage range = _http!.GetAsync("api/coplays/range").GetAwaiter().GetResult();
        }
        else
        {
            using HttpResponseMessage warm = _http!.GetAsync(_query).GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public Task CleanupAsync() => StopAsync();

    public void Dispose()
    {
        _http?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One hour's windows and minutes, the response read to its end; returns its length in bytes.</summary>
    [Benchmark]
    public async Task<long> OneHour()
    {
        using HttpResponseMessage response = await _http!.GetAsync(_query, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using Stream body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>
    /// Single requests of about a second, each after its own set-up, in this process: a separately built copy of the
    /// bench with the whole site takes longer to build than BenchmarkDotNet waits on this 2-core machine.
    /// </summary>
    private sealed class InProcessMonitoring : ManualConfig
    {
        public InProcessMonitoring() =>
            AddJob(Job.Dry
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(5)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithToolchain(InProcessEmitToolchain.Instance));
    }

    private async Task StartAsync()
    {
        IConfigurationRoot settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Playback:Paths:0"] = _output,
            ["Playback:MaxRequestsPerMinutePerAddress"] = "1000000",
        }).Build();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new PipelineOptions()));
        builder.Services.AddSingleton(new TrackTitles());
        builder.Services.AddSingleton<CoPlayViews>();
        builder.Services.AddMetrics();
        builder.Services.AddPlayback(settings);
        _site = builder.Build();
        _site.UseRateLimiter();
        _site.MapPlayback();
        await _site.StartAsync();
        string address = _site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), DefaultRequestVersion = HttpVersion.Version11 };
    }

    private async Task StopAsync()
    {
        _http?.Dispose();
        if (_site is not null)
        {
            await _site.StopAsync();
            await _site.DisposeAsync();
        }
    }
}
