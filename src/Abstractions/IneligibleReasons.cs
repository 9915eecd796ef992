namespace ListeningTogether.Abstractions;

/// <summary>The reason codes used in summaries, metrics and dead-letter entries.</summary>
public static class IneligibleReasons
{
    /// <summary>Reasons that apply in batch and streaming, in check order.</summary>
    public static readonly IReadOnlyList<IneligibleReason> Batch =
    [
        IneligibleReason.Malformed,
        IneligibleReason.InvalidEventId,
        IneligibleReason.InvalidTrackId,
        IneligibleReason.InvalidPlayedAt,
        IneligibleReason.PrivateSession,
        IneligibleReason.IpMissing,
        IneligibleReason.IpInvalid,
        IneligibleReason.IpNotPublic,
        IneligibleReason.IpAnonymous,
        IneligibleReason.GeoNoCity,
        IneligibleReason.GeoInaccurate,
    ];

    /// <summary>Every reason, streaming-only ones last.</summary>
    public static readonly IReadOnlyList<IneligibleReason> All =
        [.. Batch, IneligibleReason.FuturePlayedAt, IneligibleReason.Late];

    public const int Count = 13;

    public static string Code(this IneligibleReason reason) => reason switch
    {
        IneligibleReason.Malformed => "malformed",
        IneligibleReason.InvalidEventId => "invalid_event_id",
        IneligibleReason.InvalidTrackId => "invalid_track_id",
        IneligibleReason.InvalidPlayedAt => "invalid_played_at",
        IneligibleReason.PrivateSession => "private_session",
        IneligibleReason.IpMissing => "ip_missing",
        IneligibleReason.IpInvalid => "ip_invalid",
        IneligibleReason.IpNotPublic => "ip_not_public",
        IneligibleReason.IpAnonymous => "ip_anonymous",
        IneligibleReason.GeoNoCity => "geo_no_city",
        IneligibleReason.GeoInaccurate => "geo_inaccurate",
        IneligibleReason.FuturePlayedAt => "future_played_at",
        IneligibleReason.Late => "late",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not an ineligibility reason."),
    };

    /// <summary>Whether a record with this reason goes to the dead-letter store.</summary>
    public static bool IsDeadLettered(this IneligibleReason reason) => reason is
        IneligibleReason.Malformed or IneligibleReason.InvalidEventId or IneligibleReason.InvalidTrackId
        or IneligibleReason.InvalidPlayedAt or IneligibleReason.IpInvalid;
}
