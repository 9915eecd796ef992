using System.Diagnostics;

namespace ListeningTogether.EndToEnd.Fixtures;

/// <summary>
/// A small tmpfs mounted on a fresh folder, for full-disk tests (tests and CI run as root). A refused mount fails
/// the test, never skips it. Unmounted lazily on dispose, so a process still holding a file cannot keep it.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private readonly TempDirectory _folder = new();

    private TmpfsMount()
    {
    }

    public string Path => _folder.Path;

    public string Combine(params string[] parts) => _folder.Combine(parts);

    /// <summary>Mounts a tmpfs of <paramref name="kilobytes"/> KiB.</summary>
    public static async Task<TmpfsMount> MountAsync(int kilobytes)
    {
        var mount = new TmpfsMount();
        await RunAsync("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", mount.Path);
        return mount;
    }

    /// <summary>Fills the file system up to its last <paramref name="keepKilobytes"/> KiB with a file of zeros.</summary>
    public async Task FillAsync(int keepKilobytes)
    {
        var drive = new DriveInfo(Path);
        long fill = drive.AvailableFreeSpace - (keepKilobytes * 1024L);
        if (fill > 0)
        {
            await File.WriteAllBytesAsync(Combine("filler"), new byte[fill]);
        }
    }

    /// <summary>Gives the file system <paramref name="kilobytes"/> KiB in all (a tmpfs can grow while mounted).</summary>
    public Task ResizeAsync(int kilobytes) => RunAsync("mount", "-o", $"remount,size={kilobytes}k", Path);

    public void Dispose()
    {
        using (var umount = Process.Start(new ProcessStartInfo("umount") { ArgumentList = { "-l", Path }, UseShellExecute = false }))
        {
            umount?.WaitForExit();
        }

        _folder.Dispose();
    }

    private static async Task RunAsync(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"'{command} {string.Join(' ', args)}' failed ({process.ExitCode}): {error} Full-disk tests need root and tmpfs.");
    }
}
