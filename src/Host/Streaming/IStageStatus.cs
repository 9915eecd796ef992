namespace ListeningTogether.Host.Streaming;

/// <summary>A stage that reports whether it reads its source yet, for <c>/readyz</c>.</summary>
internal interface IStageStatus
{
    bool IsReading { get; }
}
