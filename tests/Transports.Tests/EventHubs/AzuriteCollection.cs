using ListeningTogether.Tests.Shared;

namespace ListeningTogether.Transports.Tests.EventHubs;

/// <summary>Tests that need the real Azurite Blob service: one server for all of them.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteServer>
{
    public const string Name = "Azurite";
}
