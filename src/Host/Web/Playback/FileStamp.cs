namespace ListeningTogether.Host.Web.Playback;

/// <summary>A file's length and last write time: what changes when a live minute file is rewritten or a replay output replaced.</summary>
internal readonly record struct FileStamp(long Length, long LastWriteTicks)
{
    /// <summary>The stamp of <paramref name="path"/>, or null when it is gone.</summary>
    public static FileStamp? Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new FileStamp(file.Length, file.LastWriteTimeUtc.Ticks) : null;
    }
}
