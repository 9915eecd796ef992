using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>Keeps every formatted log line with its level, to assert on what a component said.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _lines.Enqueue((logLevel, formatter(state, exception)));
    }

    /// <summary>The lines that contain <paramref name="text"/>.</summary>
    public (LogLevel Level, string Message)[] Naming(string text) => [.. _lines.Where(l => l.Message.Contains(text, StringComparison.Ordinal))];
}
