using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

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
    private bool? _allAscii;

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
        _allAscii = null;
    }

    public bool IsNull(int row) => _lengths[row] < 0;

    /// <summary>
    /// Whether the row's value is valid UTF-8 (a null is). The row group's values are first checked together: when
    /// all of them are ASCII, as ids and addresses almost always are, no value needs a check of its own.
    /// </summary>
    public bool IsValidUtf8(int row)
    {
        _allAscii ??= Ascii.IsValid(_bytes.AsSpan(0, _used));
        return _allAscii.Value || Utf8.IsValid(this[row]);
    }

    /// <summary>The value's bytes; empty for a null (ask <see cref="IsNull"/> first).</summary>
    public ReadOnlySpan<byte> this[int row] => _lengths[row] < 0 ? [] : _bytes.AsSpan(_starts[row], _lengths[row]);

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
