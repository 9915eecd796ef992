namespace ListeningTogether.EndToEnd.Site;

/// <summary>
/// The browser tests run one class after another (each with its own <c>lt serve</c>), so that two servers at
/// 2,000 plays/s and their browsers never compete for the machine while one of them is being timed.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SiteCollection
{
    public const string Name = "Live site in Chromium";
}
