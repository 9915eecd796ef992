using ListeningTogether.Abstractions;

namespace ListeningTogether.Simulator;

/// <summary>
/// The simulated catalog: tracks with Spotify-like ids and generated titles and artists, ordered by popularity
/// (rank 0 is the most played). Play counts follow a Zipf law, so a few hits take a large share of plays and are
/// the ones most often co-played far apart. Deterministic from the seed; immutable.
/// </summary>
public sealed class TrackCatalog
{
    public const double DefaultZipfExponent = 1.05;
    private const string IdPrefix = "spotify:track:";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int IdLength = 22;

    private readonly double[] _cumulative;

    private TrackCatalog(Track[] tracks, double[] cumulative, double zipfExponent)
    {
        Tracks = tracks;
        _cumulative = cumulative;
        ZipfExponent = zipfExponent;
    }

    /// <summary>The tracks by popularity rank.</summary>
    public IReadOnlyList<Track> Tracks { get; }

    public double ZipfExponent { get; }

    public static TrackCatalog Generate(int size, int seed, double zipfExponent = DefaultZipfExponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(zipfExponent);
        var random = new SimulatorRandom(seed, stream: 1);
        var artists = new string[Math.Max(1, size / 6)];
        for (int i = 0; i < artists.Length; i++)
        {
            artists[i] = TrackNames.Artist(random);
        }

        var ids = new HashSet<string>(size, StringComparer.Ordinal);
        var tracks = new Track[size];
        for (int rank = 0; rank < size; rank++)
        {
            string id;
            do
            {
                id = NewId(random);
            }
            while (!ids.Add(id));

            string title = TrackNames.Title(random, () => artists[random.Next(artists.Length)]);
            tracks[rank] = new Track(id, title, artists[random.Next(artists.Length)]);
        }

        return new TrackCatalog(tracks, ZipfCumulative(size, zipfExponent), zipfExponent);
    }

    /// <summary>The share of plays that go to the track of this rank.</summary>
    public double Probability(int rank) => _cumulative[rank] - (rank == 0 ? 0 : _cumulative[rank - 1]);

    /// <summary>The rank of a track drawn by popularity.</summary>
    internal int SampleRank(SimulatorRandom random)
    {
        int index = Array.BinarySearch(_cumulative, random.NextDouble());
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, _cumulative.Length - 1);
    }

    private static string NewId(SimulatorRandom random) =>
        string.Create(IdPrefix.Length + IdLength, random, static (chars, r) =>
        {
            IdPrefix.AsSpan().CopyTo(chars);
            for (int i = IdPrefix.Length; i < chars.Length; i++)
            {
                chars[i] = Base62[r.Next(Base62.Length)];
            }
        });

    /// <summary>P(rank k) proportional to 1 / (k + 1)^s, as a cumulative table for binary search.</summary>
    private static double[] ZipfCumulative(int size, double exponent)
    {
        var cumulative = new double[size];
        double sum = 0;
        for (int k = 0; k < size; k++)
        {
            sum += Math.Pow(k + 1, -exponent);
            cumulative[k] = sum;
        }

        for (int k = 0; k < size; k++)
        {
            cumulative[k] /= sum;
        }

        cumulative[^1] = 1.0;
        return cumulative;
    }
}
