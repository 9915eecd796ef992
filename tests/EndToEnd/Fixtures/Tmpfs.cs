using System.Diagnostics;

namespace ListeningTogether.EndToEnd.Fixtures;

/// <summary>
/// A small tmpfs mounted on a fresh folder: a full disk on demand. The tests run as root (as CI does); a refused
/// mount fails the test rather than skipping it. Unmounted lazily on dispose.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static async Task<Tmpfs> MountAsync(string path, string size = "300k")
    {
        Directory.CreateDirectory(path);
        (int exitCode, string errors) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        Assert.True(exitCode == 0, $"mount -t tmpfs on {path} was refused (exit code {exitCode}): {errors}");
        return new Tmpfs(path);
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Fills the file system up to its last <paramref name="keepKilobytes"/> KiB with a file of zeros.</summary>
    public async Task FillAsync(int keepKilobytes)
    {
        long fill = new DriveInfo(Path).AvailableFreeSpace - (keepKilobytes * 1024L);
        if (fill > 0)
        {
            await File.WriteAllBytesAsync(Combine("filler"), new byte[fill]);
        }
    }

    /// <summary>Gives the file system <paramref name="size"/> in all (a tmpfs can grow while mounted).</summary>
    public async Task ResizeAsync(string size)
    {
        (int exitCode, string errors) = await RunAsync("mount", "-o", $"remount,size={size}", Path);
        Assert.True(exitCode == 0, $"remounting the tmpfs on {Path} was refused (exit code {exitCode}): {errors}");
    }

    public void Dispose()
    {
        using var umount = Process.Start(new ProcessStartInfo("umount") { ArgumentList = { "-l", Path }, UseShellExecute = false })!;
        umount.WaitForExit();
    }

    private static async Task<(int ExitCode, string Errors)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, errors);
    }
}
