namespace ListeningTogether.Replay.Archive;

/// <summary>One worker's Parquet state: its own open files (readers are not thread-safe), buffers and classifier.</summary>
internal sealed class ParquetWorker(ReplayRequest request) : IDisposable
{
    private readonly Dictionary<int, ParquetPlayFile> _files = [];
    private ParquetPlayClassifier? _classifier;
    private ParquetPlayColumns? _columns;
    private ParquetRowOutcomes? _outcomes;

    public ParquetPlayClassifier Classifier =>
        _classifier ??= new ParquetPlayClassifier(request.Cities, request.AnonymousIps, request.MaxAccuracyRadiusKm);

    public ParquetPlayColumns Columns => _columns ??= new ParquetPlayColumns();

    public ParquetRowOutcomes Outcomes => _outcomes ??= new ParquetRowOutcomes();

    public ParquetPlayFile Open(int fileIndex, string path)
    {
        if (!_files.TryGetValue(fileIndex, out ParquetPlayFile? file))
        {
            file = ParquetPlayFile.Open(path);
            _files.Add(fileIndex, file);
        }

        return file;
    }

    public void Dispose()
    {
        foreach (ParquetPlayFile file in _files.Values)
        {
            file.Dispose();
        }
    }
}
