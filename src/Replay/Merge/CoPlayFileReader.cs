using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;
using ListeningTogether.Replay.Input;
using ListeningTogether.Replay.Output.Results;

namespace ListeningTogether.Replay.Merge;

/// <summary>
/// Reads a replay output's <c>coplays.jsonl</c> one co-play at a time, checking that it is in result order with
/// each (window, track) once; a line that is not a co-play or out of order is an <see cref="InputFileException"/>
/// naming the file and line.
/// </summary>
internal sealed class CoPlayFileReader : IDisposable
{
    private readonly JsonlLineReader _lines;
    private CoPlay? _previous;
    private long _line;

    public CoPlayFileReader(string path)
    {
        Path = path;
        _lines = new JsonlLineReader(new FileChunk(0, path, 0, new FileInfo(path).Length));
    }

    public string Path { get; }

    /// <summary>Co-plays read so far.</summary>
    public long Count { get; private set; }

    public bool TryRead([NotNullWhen(true)] out CoPlay? coPlay)
    {
        if (!_lines.TryReadLine(out ReadOnlySpan<byte> line, out _))
        {
            coPlay = null;
            return false;
        }

        _line++;
        if (!CoPlayJsonlReader.TryParse(line, out coPlay, out string? error))
        {
            throw new InputFileException(Path, string.Create(CultureInfo.InvariantCulture, $"'{Path}' line {_line} is not a co-play: {error}."));
        }

        if (_previous is not null && CoPlayOrder.Instance.Compare(_previous, coPlay) >= 0)
        {
            throw new InputFileException(Path, string.Create(CultureInfo.InvariantCulture, $"'{Path}' line {_line} is out of order: co-plays must be sorted by (windowStart, trackId), each once."));
        }

        _previous = coPlay;
        Count++;
        return true;
    }

    public void Dispose() => _lines.Dispose();
}
