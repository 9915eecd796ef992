namespace ListeningTogether.Streaming.Site;

/// <summary>The site stage's settings from the host (<c>Site:CompletenessTimeoutMs</c>).</summary>
public sealed record SiteStageSettings(TimeSpan CompletenessTimeout)
{
    public static readonly SiteStageSettings Default = new(TimeSpan.FromMilliseconds(5000));
}
