namespace ListeningTogether.Replay.Input;

/// <summary>
/// How <c>replay</c> signs in to Azure Blob Storage for <c>--input https://ACCOUNT.blob.core.windows.net/CONTAINER/prefix</c>:
/// a SAS in the URL, else <c>Replay:BlobConnectionString</c>, else DefaultAzureCredential (Workload Identity, Azure CLI, ...).
/// </summary>
public sealed class BlobInputOptions
{
    public const string Section = "Replay";

    /// <summary>A Storage connection string (a secret: never logged), e.g. Azurite's development account.</summary>
    public string? BlobConnectionString { get; set; }
}
