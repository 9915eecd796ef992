using System.Text.Json;
using ListeningTogether.Replay.Output.Sinks;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>
/// The answer to <c>GET /api/coplays</c>, written straight to the response body:
/// <c>{"from","to","windows":[{"windowStart","coPlays":[view…]}],"minutes":[{"minute","coPlays":n|null}]}</c>,
/// windows in [from, to) in window order.
/// </summary>
internal sealed class PlaybackResponse(PlaybackRange range, long firstMinuteMs, IReadOnlyList<PlaybackMinute?> minutes) : IResult
{
    private const int FlushBytes = 32 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        HttpResponse response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        CancellationToken aborted = httpContext.RequestAborted;
        await using var json = new Utf8JsonWriter(response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("from", PlaybackJson.Time(range.FromMs));
        json.WriteString("to", PlaybackJson.Time(range.ToMs));
        json.WriteStartArray("windows");
        foreach (PlaybackMinute? minute in minutes)
        {
            foreach (PlaybackWindow window in minute?.Windows ?? [])
            {
                if (window.WindowStartMs < range.FromMs || window.WindowStartMs >= range.ToMs)
                {
                    continue;
                }

                json.WriteStartObject();
                json.WriteString("windowStart", PlaybackJson.WindowTime(window.WindowStartMs));
                json.WriteStartArray("coPlays");
                foreach (CoPlayView view in window.CoPlays)
                {
                    PlaybackJson.WriteView(json, view);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            if (json.BytesPending >= FlushBytes)
            {
                json.Flush();
                await response.BodyWriter.FlushAsync(aborted).ConfigureAwait(false);
            }
        }

        json.WriteEndArray();
        json.WriteStartArray("minutes");
        for (int i = 0; i < minutes.Count; i++)
        {
            json.WriteStartObject();
            json.WriteString("minute", PlaybackJson.Time(firstMinuteMs + (i * CoPlayMinuteFiles.MinuteMs)));
            if (minutes[i] is { } minute)
            {
                json.WriteNumber("coPlays", minute.CoPlays);
            }
            else
            {
                json.WriteNull("coPlays");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        await response.BodyWriter.FlushAsync(aborted).ConfigureAwait(false);
    }
}
