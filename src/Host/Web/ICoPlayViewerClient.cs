namespace ListeningTogether.Host.Web;

/// <summary>What the hub pushes to browsers; the names are the client-side method names.</summary>
public interface ICoPlayViewerClient
{
    Task CoPlays(IReadOnlyList<CoPlayView> items);

    Task Recent(IReadOnlyList<CoPlayView> items);

    Task Stats(StatsView stats);
}
