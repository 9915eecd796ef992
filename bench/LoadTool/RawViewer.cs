using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;

namespace ListeningTogether.LoadTool;

/// <summary>
/// A viewer speaking SignalR's JSON protocol over a bare WebSocket: it takes the receipt time as a frame arrives
/// and reads only the fields it measures. A thousand of these share the load tool's core, so a viewer that
/// deserializes every push fully (as the official client does) would measure its own parsing, not the server.
/// </summary>
internal sealed class RawViewer(Uri hub, HttpClient http, TimeProvider clock) : IViewer
{
    private const byte RecordSeparator = 0x1e;
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<(ReceivedCoPlay CoPlay, long ReceivedAtMs)> _received = [];
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiving;
    private Task? _pinging;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage negotiated = await http.PostAsync(new Uri(hub + "/negotiate?negotiateVersion=1"), null, cancellationToken).ConfigureAwait(false);
        negotiated.EnsureSuccessStatusCode();
        Negotiation negotiation = await negotiated.Content.ReadFromJsonAsync<Negotiation>(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The hub's negotiate response was empty.");
        var socketUri = new UriBuilder(hub) { Scheme = hub.Scheme == "https" ? "wss" : "ws", Query = $"id={negotiation.ConnectionToken}" }.Uri;
        await _socket.ConnectAsync(socketUri, cancellationToken).ConfigureAwait(false);
        await SendAsync("{\"protocol\":\"json\",\"version\":1}"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        byte[] rest = await ExpectHandshakeAsync(cancellationToken).ConfigureAwait(false);
        _receiving = ReceiveAsync(rest, _stop.Token);
        _pinging = PingAsync(_stop.Token);
    }

    public bool IsConnected => _socket.State == WebSocketState.Open && _receiving is { IsCompleted: false };

    public List<(ReceivedCoPlay CoPlay, long ReceivedAtMs)> TakeReceived()
    {
        lock (_gate)
        {
            List<(ReceivedCoPlay CoPlay, long ReceivedAtMs)> taken = [.. _received];
            _received.Clear();
            return taken;
        }
    }

    public List<(ReceivedCoPlay CoPlay, long ReceivedAtMs)> PushedBetween(long fromMs, long toMs)
    {
        lock (_gate)
        {
            return [.. _received.Where(r => r.CoPlay.PushedAtMs >= fromMs && r.CoPlay.PushedAtMs < toMs)];
        }
    }

    // The server answers the handshake with an empty object (or an error), maybe followed by its first messages.
    private async Task<byte[]> ExpectHandshakeAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[1 << 16];
        ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        ReadOnlySpan<byte> answer = buffer.AsSpan(0, result.Count);
        if (result.MessageType == WebSocketMessageType.Close || !answer.StartsWith("{}\u001e"u8))
        {
            throw new InvalidOperationException($"The hub refused the viewer: {System.Text.Encoding.UTF8.GetString(answer)} {_socket.CloseStatusDescription}");
        }

        return answer[3..].ToArray();
    }

    private async Task SendAsync(byte[] record, CancellationToken cancellationToken)
    {
        byte[] framed = [.. record, RecordSeparator];
        await _socket.SendAsync(framed, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
    }

    // The server closes connections it has not heard from for 30 s, so a listening viewer pings as browsers do.
    private async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(PingInterval, clock, cancellationToken).ConfigureAwait(false);
                await SendAsync("{\"type\":6}"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closing.
        }
    }

    private async Task ReceiveAsync(byte[] rest, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[Math.Max(1 << 16, rest.Length * 2)];
        rest.CopyTo(buffer, 0);
        int filled = rest.Length;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                filled += result.Count;
                int start = 0;
                for (int end; (end = Array.IndexOf(buffer, RecordSeparator, start, filled - start)) >= 0; start = end + 1)
                {
                    Record(buffer.AsSpan(start, end - start), now);
                }

                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closing.
        }
    }

    private void Record(ReadOnlySpan<byte> record, long receivedAtMs)
    {
        if (record.IndexOf("\"target\":\"CoPlays\""u8) < 0)
        {
            return;
        }

        var reader = new Utf8JsonReader(record);
        var items = new List<ReceivedCoPlay>();
        string? trackId = null;
        DateTimeOffset windowStart = default;
        long pushedAtMs = 0;
        int depth = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    depth++;
                    break;
                case JsonTokenType.EndObject:
                    // A co-play is an object at depth 2 (inside the invocation's arguments array).
                    if (depth-- == 2 && trackId is not null)
                    {
                        items.Add(new ReceivedCoPlay(windowStart, trackId, pushedAtMs));
                        trackId = null;
                    }

                    break;
                case JsonTokenType.PropertyName when depth == 2:
                    if (reader.ValueTextEquals("trackId"u8) && reader.Read())
                    {
                        trackId = reader.GetString();
                    }
                    else if (reader.ValueTextEquals("windowStart"u8) && reader.Read())
                    {
                        windowStart = reader.GetDateTimeOffset();
                    }
                    else if (reader.ValueTextEquals("pushedAtMs"u8) && reader.Read())
                    {
                        pushedAtMs = reader.GetInt64();
                    }

                    break;
            }
        }

        lock (_gate)
        {
            foreach (ReceivedCoPlay item in items)
            {
                _received.Add((item, receivedAtMs));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
            }
            catch (WebSocketException)
            {
                // Already gone.
            }
        }

        await Task.WhenAll(_receiving ?? Task.CompletedTask, _pinging ?? Task.CompletedTask).ConfigureAwait(false);
        _socket.Dispose();
        _stop.Dispose();
    }

    private sealed record Negotiation(string ConnectionToken);
}
