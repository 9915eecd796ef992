using System.Runtime.InteropServices;

namespace ListeningTogether.Replay.Archive;

/// <summary>
/// One row group's values of a string column as the file's UTF-8 bytes, copied into one buffer a worker reuses
/// from row group to row group (no string per value). A row without a value is null.
/// </summary>
internal sealed class Utf8Column
{
    private byte[] _bytes = new byte[1 << 20];
    private int[] _starts = [];
    private int[] _lengths = [];
    private int _used;

    /// <summary>Makes room for <paramref name="rows"/> rows, all null.</summary>
    public void Reset(int rows)
    {
        if (_starts.Length < rows)
        {
            _starts = new int[rows];
            _lengths = new int[rows];
        }

        _lengths.AsSpan(0, rows).Fill(-1);
        _used = 0;
    }

    public bool IsNull(int row) => _lengths[row] < 0;

    /// <summary>The value's bytes; empty for a null (ask <see cref="IsNull"/> first).</summary>
    public ReadOnlySpan<byte> this[int row] => _lengths[row] < 0 ? [] : _bytes.AsSpan(_starts[row], _lengths[row]);

    /// <summary>Gives the row a new value (appended to the buffer; the old bytes stay unused until the next row group).</summary>
    public void Replace(int row, ReadOnlySpan<byte> value)
    {
        if (_bytes.Length - _used < value.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + value.Length));
        }

        value.CopyTo(_bytes.AsSpan(_used));
        _starts[row] = _used;
        _lengths[row] = value.Length;
        _used += value.Length;
    }

    /// <summary>Copies <paramref name="length"/> bytes at <paramref name="source"/> (the reader's page buffer) as the row's value.</summary>
    public void Set(int row, IntPtr source, int length)
    {
        if (_bytes.Length - _used < length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + length));
        }

        if (length > 0)
        {
            Marshal.Copy(source, _bytes, _used, length);
        }

        _starts[row] = _used;
        _lengths[row] = length;
        _used += length;
    }
}
