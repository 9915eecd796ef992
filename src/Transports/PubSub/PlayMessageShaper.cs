using System.Text.Json;

namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// What a published play carries beside its payload, by the settings: its trackId as ordering key
/// (<c>OrderingKey=TrackId</c>) and its playedAt and eventId as attributes (<c>TimestampAttribute</c>,
/// <c>IdAttribute</c>). A payload that is not a play object goes out bare; the pipeline dead-letters it.
/// </summary>
internal sealed class PlayMessageShaper(OrderingKeyUsage orderingKey, string? timestampAttribute, string? idAttribute)
{
    public static PlayMessageShaper None { get; } = new(OrderingKeyUsage.None, null, null);

    public static PlayMessageShaper From(PubSubTransportOptions options) =>
        new(options.OrderingKey, options.TimestampAttribute, options.IdAttribute);

    private enum Field
    {
        Other,
        TrackId,
        EventId,
        PlayedAt,
    }

    private bool IsNone => orderingKey == OrderingKeyUsage.None && timestampAttribute is null && idAttribute is null;

    public PubSubOutgoingMessage Shape(ReadOnlyMemory<byte> payload)
    {
        if (IsNone || !TryRead(payload.Span, out string? trackId, out string? eventId, out string? playedAt))
        {
            return new PubSubOutgoingMessage(payload);
        }

        List<KeyValuePair<string, string>>? attributes = null;
        if (timestampAttribute is not null && playedAt is not null)
        {
            attributes = [new(timestampAttribute, playedAt)];
        }

        if (idAttribute is not null && eventId is not null)
        {
            (attributes ??= []).Add(new(idAttribute, eventId));
        }

        return new PubSubOutgoingMessage(payload, orderingKey == OrderingKeyUsage.TrackId ? trackId : null, attributes);
    }

    /// <summary>The top-level string trackId and eventId and playedAt (string or integer text) of a JSON object.</summary>
    private static bool TryRead(ReadOnlySpan<byte> json, out string? trackId, out string? eventId, out string? playedAt)
    {
        trackId = eventId = playedAt = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                Field field = reader.ValueTextEquals("trackId"u8) ? Field.TrackId
                    : reader.ValueTextEquals("eventId"u8) ? Field.EventId
                    : reader.ValueTextEquals("playedAt"u8) ? Field.PlayedAt
                    : Field.Other;
                reader.Read();
                string? text = reader.TokenType switch
                {
                    JsonTokenType.String when field != Field.Other => reader.GetString(),
                    JsonTokenType.Number when field == Field.PlayedAt => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                    _ => null,
                };
                switch (field)
                {
                    case Field.TrackId:
                        trackId = text;
                        break;
                    case Field.EventId:
                        eventId = text;
                        break;
                    case Field.PlayedAt:
                        playedAt = text;
                        break;
                }

                reader.TrySkip();
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
