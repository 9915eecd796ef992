using System.Diagnostics;
using System.Net;
using ListeningTogether.EndToEnd.Fixtures;
using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Faults.Tests.WorldView;

namespace ListeningTogether.Faults.Tests.PubSub;

/// <summary>
/// "Ready" means a play published now is read: <c>lt run</c> creates its topic and subscription on the emulator
/// (<c>CreateMissing</c>), and the moment <c>/readyz</c> first answers 200 one play is published. It must be read.
/// The source part of readiness once turned ready when the stage started reading, a quarter second before the watch
/// saw that the subscription was still being created; a play published in that gap went to a topic without a
/// subscription and was lost (the full-disk fault test's first play, in CI).
/// </summary>
public sealed class ReadyMeansSubscribedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GivenRunCreatingItsSubscription_WhenAPlayIsPublishedTheMomentReadyzFirstAnswers200_ThenItIsRead()
    {
        Lt.RequireRealCityDb();
        await using PubSubEmulator emulator = await PubSubEmulator.StartAsync();
        string name = "ready-" + Guid.NewGuid().ToString("N")[..8];
        int port = FreePorts.Next();
        var address = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        using LtProcess run = Lt.Start(["run", $"--Urls={address}", "--Simulator:Enabled=false", .. emulator.Arguments(name + "-plays", name + "-run")]);

        await FirstReadyAsync(http, run);
        await emulator.PublishAsync(name + "-plays", File.ReadLines(Lt.Examples("plays.jsonl")).Take(1));

        await Eventually.HoldsAsync(
            async () => await LabelledMetric.SumAsync(address, "lt_plays_total", label: "") >= 1,
            Patience,
            "the play published at the first 200 to be read",
            () => "--- emulator log (end)\n" + emulator.LogTail(),
            run);
    }

    /// <summary>Asks as often as it can (<see cref="Eventually"/> waits 200 ms between questions), so the first 200 is caught.</summary>
    private static async Task FirstReadyAsync(HttpClient http, LtProcess run)
    {
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < Patience)
        {
            Assert.False(run.HasExited, $"lt exited before it was ready.\n{run.Stdout}");
            try
            {
                using HttpResponseMessage answer = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (answer.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(5);
        }

        Assert.Fail($"/readyz did not answer 200 within {Patience.TotalSeconds:0} s.\n{run.Stdout}");
    }
}
