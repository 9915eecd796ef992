using System.ComponentModel.DataAnnotations;
using Azure.Storage.Blobs;

namespace ListeningTogether.Transports.EventHubs;

/// <summary>
/// Settings of <c>Transport:EventHubs:CheckpointStore</c>: the Blob container holding the partitions' ownership
/// claims and checkpoints, reached by a connection string or by its service URI with DefaultAzureCredential.
/// </summary>
public sealed class EventHubsCheckpointStoreOptions
{
    /// <summary>A Storage connection string (a secret: never logged).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Blob service endpoint (<c>https://ACCOUNT.blob.core.windows.net</c>), used with DefaultAzureCredential.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The container; created at start when missing.</summary>
    public string? Container { get; set; }

    internal IEnumerable<ValidationResult> Validate()
    {
        bool hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasConnectionString == (ServiceUri is not null))
        {
            yield return new ValidationResult(
                "Give exactly one of ConnectionString and ServiceUri (the latter signs in with DefaultAzureCredential).",
                [nameof(ConnectionString), nameof(ServiceUri)]);
        }
        else if (hasConnectionString && !IsConnectionString(ConnectionString!))
        {
            yield return new ValidationResult("The value is not a Storage connection string (DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...).", [nameof(ConnectionString)]);
        }
        else if (ServiceUri is { } uri && (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult("Give the Blob service's absolute http(s) URI, such as https://ACCOUNT.blob.core.windows.net.", [nameof(ServiceUri)]);
        }

        if (string.IsNullOrWhiteSpace(Container))
        {
            yield return new ValidationResult("The container name is required.", [nameof(Container)]);
        }
        else if (!IsContainerName(Container))
        {
            yield return new ValidationResult("A container name is 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.", [nameof(Container)]);
        }
    }

    private static bool IsConnectionString(string value)
    {
        try
        {
            _ = new BlobServiceClient(value);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsContainerName(string name) =>
        name.Length is >= 3 and <= 63
        && char.IsAsciiLetterOrDigit(name[0])
        && char.IsAsciiLetterOrDigit(name[^1])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && !name.Contains("--", StringComparison.Ordinal);
}
