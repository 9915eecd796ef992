using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ListeningTogether.Replay.Input;

/// <summary>
/// Replay inputs in Azure Blob Storage (or Azurite): each <c>http(s)://</c> input names a container and an optional
/// prefix; the <c>.jsonl</c> and <c>.parquet</c> blobs under it (searched recursively, skipping names with a part
/// below the prefix starting with <c>_</c> or <c>.</c>, as in local folders) are downloaded to a local folder,
/// where the file readers take them. Other inputs pass through unchanged.
/// </summary>
public static class BlobInputs
{
    private const int ParallelDownloads = 4;
    private static readonly string[] Extensions = [".jsonl", ".parquet"];

    public static bool IsBlobUrl(string input) =>
        input.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || input.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Downloads the blobs of every URL input into a new folder under <paramref name="directory"/> and returns the
    /// inputs with each URL replaced by its files; with no URL input, returns the inputs as they are and writes nothing.
    /// </summary>
    public static async Task<DownloadedBlobInputs> DownloadAsync(
        IReadOnlyList<string> inputs,
        BlobInputOptions options,
        string directory,
        CancellationToken cancellationToken,
        Func<TokenCredential>? credential = null)
    {
        if (!inputs.Any(IsBlobUrl))
        {
            return new DownloadedBlobInputs(inputs, null, new Dictionary<string, string>());
        }

        string folder = Path.Combine(directory, $".replay-blobs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var local = new List<string>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (string input in inputs)
            {
                if (!IsBlobUrl(input))
                {
                    local.Add(input);
                    continue;
                }

                var location = BlobLocation.Parse(input);
                BlobContainerClient container = Container(location, options, credential ?? (() => new DefaultAzureCredential()));
                IReadOnlyList<string> blobs = await ListAsync(container, location, cancellationToken).ConfigureAwait(false);
                var files = blobs.Select((blob, i) => (Blob: blob, Path: Path.Combine(folder, $"{names.Count + i:D6}{Path.GetExtension(blob).ToLowerInvariant()}"))).ToList();
                await Parallel.ForEachAsync(
                    files,
                    new ParallelOptions { MaxDegreeOfParallelism = ParallelDownloads, CancellationToken = cancellationToken },
                    async (file, token) => await DownloadAsync(container, location, file.Blob, file.Path, token).ConfigureAwait(false)).ConfigureAwait(false);
                foreach ((string blob, string path) in files)
                {
                    local.Add(path);
                    names[Path.GetFullPath(path)] = location.DisplayName(blob);
                }
            }
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }

        return new DownloadedBlobInputs(local, folder, names);
    }

    private static BlobContainerClient Container(BlobLocation location, BlobInputOptions options, Func<TokenCredential> credential)
    {
        if (location.HasSas)
        {
            return new BlobContainerClient(location.ContainerUri);
        }

        if (options.BlobConnectionString is { Length: > 0 } connectionString)
        {
            var service = new BlobServiceClient(connectionString);
            if (!string.Equals(service.Uri.AbsoluteUri.TrimEnd('/'), location.ServiceUri.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                throw new InputFileException(location.Display, $"Input '{location.Display}' is not in the storage account of Replay:BlobConnectionString ({service.Uri.AbsoluteUri.TrimEnd('/')}).");
            }

            return service.GetBlobContainerClient(location.Container);
        }

        if (location.ServiceUri.Scheme != Uri.UriSchemeHttps)
        {
            // Tokens are never sent over plain http (the SDK refuses too), so a local emulator needs a key.
            throw new InputFileException(location.Display, $"Input '{location.Display}' is plain http: give Replay:BlobConnectionString or a SAS in the URL.");
        }

        return new BlobContainerClient(location.ContainerUri, credential());
    }

    private static async Task<IReadOnlyList<string>> ListAsync(BlobContainerClient container, BlobLocation location, CancellationToken cancellationToken)
    {
        try
        {
            // A prefix naming one play blob is that blob, as a file path is that file.
            if (location.Prefix.Length > 0 && IsPlayBlob(location.Prefix)
                && await container.GetBlobClient(location.Prefix).ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                return [location.Prefix];
            }

            string prefix = location.Prefix.Length == 0 ? string.Empty : location.Prefix.TrimEnd('/') + "/";
            var blobs = new List<string>();
            await foreach (BlobItem blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
            {
                if (IsPlayBlob(blob.Name) && !IsHidden(blob.Name[prefix.Length..]))
                {
                    blobs.Add(blob.Name);
                }
            }

            if (blobs.Count == 0)
            {
                throw new FileNotFoundException($"No play files (.jsonl, .parquet) under '{location.Display}'.", location.Display);
            }

            blobs.Sort(StringComparer.Ordinal);
            return blobs;
        }
        catch (RequestFailedException e)
        {
            throw new InputFileException(location.Display, $"Cannot list '{location.Display}': {Reason(e)}.", e);
        }
        catch (AuthenticationFailedException e)
        {
            throw new InputFileException(location.Display, $"Cannot sign in to read '{location.Display}': put a SAS in the URL, set Replay:BlobConnectionString, or sign in for DefaultAzureCredential ({e.GetType().Name}).", e);
        }
    }

    private static async Task DownloadAsync(BlobContainerClient container, BlobLocation location, string blob, string path, CancellationToken cancellationToken)
    {
        try
        {
            await container.GetBlobClient(blob).DownloadToAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw new InputFileException(location.DisplayName(blob), $"Cannot read '{location.DisplayName(blob)}': {Reason(e)}.", e);
        }
    }

    private static string Reason(RequestFailedException e) => $"HTTP {e.Status}{(e.ErrorCode is { } code ? " " + code : string.Empty)}";

    private static bool IsPlayBlob(string name) => Extensions.Any(x => name.EndsWith(x, StringComparison.OrdinalIgnoreCase));

    private static bool IsHidden(string relativeName) => relativeName.Split('/').Any(part => part.StartsWith('_') || part.StartsWith('.'));

    /// <summary>Where a URL input points: the account's service, the container, the prefix, and the URL to show (never its SAS).</summary>
    private sealed record BlobLocation(Uri ServiceUri, Uri ContainerUri, string Container, string Prefix, bool HasSas, string Display)
    {
        public static BlobLocation Parse(string input)
        {
            if (!Uri.TryCreate(input, UriKind.Absolute, out Uri? uri))
            {
                throw new InputFileException(input, $"Input '{input}' is not a valid URL.");
            }

            var builder = new BlobUriBuilder(uri);
            bool hasSas = builder.Sas is not null;
            string display = new UriBuilder(uri) { Query = string.Empty }.Uri.AbsoluteUri;
            if (string.IsNullOrEmpty(builder.BlobContainerName))
            {
                throw new InputFileException(display, $"Input '{display}' names no container: give https://ACCOUNT.blob.core.windows.net/CONTAINER[/prefix].");
            }

            string container = builder.BlobContainerName;
            string prefix = builder.BlobName ?? string.Empty;
            builder.BlobName = string.Empty;
            Uri containerUri = builder.ToUri();
            builder.BlobContainerName = string.Empty;
            builder.Sas = null;
            return new BlobLocation(builder.ToUri(), containerUri, container, prefix, hasSas, display.TrimEnd('/'));
        }

        /// <summary>The blob's URL without any SAS, for summaries and dead-letter entries.</summary>
        public string DisplayName(string blob) => $"{ServiceUri.AbsoluteUri.TrimEnd('/')}/{Container}/{blob}";
    }
}

/// <summary>Replay inputs with URL inputs replaced by downloaded files; disposing deletes the downloads.</summary>
public sealed class DownloadedBlobInputs : IDisposable
{
    private readonly string? _folder;
    private readonly IReadOnlyDictionary<string, string> _names;

    internal DownloadedBlobInputs(IReadOnlyList<string> inputs, string? folder, IReadOnlyDictionary<string, string> names)
    {
        Inputs = inputs;
        _folder = folder;
        _names = names;
    }

    /// <summary>Local files, folders and globs to expand, downloads included.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>The blob URL a downloaded file came from, else the path itself.</summary>
    public string NameOf(string path) => _names.TryGetValue(path, out string? name) ? name : path;

    public void Dispose()
    {
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
