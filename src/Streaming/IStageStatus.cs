namespace ListeningTogether.Streaming;

/// <summary>A stage that reports whether it reads its source yet, for <c>/readyz</c>.</summary>
public interface IStageStatus
{
    bool IsReading { get; }
}
