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
