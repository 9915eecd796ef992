using ListeningTogether.Abstractions;

namespace ListeningTogether.Transports.Migration;

/// <summary>Split stages while moving between clouds: raw plays from both (merged), everything after ingest on the destination.</summary>
internal sealed class MigrationScaleOut(IPlaySource mergedPlays, IScaleOutTransport destination) : IScaleOutTransport
{
    public IPlaySource OpenPlays() => mergedPlays;

    public IKeyedPublisher OpenRepartitionPublisher() => destination.OpenRepartitionPublisher();

    public IPlaySource OpenRepartitionedPlays() => destination.OpenRepartitionedPlays();

    public IKeyedPublisher OpenResultsPublisher() => destination.OpenResultsPublisher();

    public IPlaySource OpenResults(string replicaName) => destination.OpenResults(replicaName);
}
