namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>The stop and kill tests share one Pub/Sub emulator; each test uses topics and subscriptions of its own.</summary>
[CollectionDefinition(Name)]
public sealed class StopCollection : ICollectionFixture<SharedEmulator>
{
    public const string Name = "Stopping and killing stages on the Pub/Sub emulator";
}
