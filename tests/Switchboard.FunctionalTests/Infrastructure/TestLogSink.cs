using Microsoft.Extensions.Logging;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>A logger provider that keeps every entry, so that tests can assert on (and wait for) log lines.</summary>
public sealed class TestLogSink : ILoggerProvider
{
    private readonly object _sync = new();
    private readonly List<LogEntry> _entries = [];
    private readonly List<(Func<LogEntry, bool> Predicate, TaskCompletionSource<LogEntry> Waiter)> _waiters = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_sync)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Completes with the first entry (already written or to come) that matches.</summary>
    public Task<LogEntry> WaitForAsync(Func<LogEntry, bool> predicate)
    {
        lock (_sync)
        {
            foreach (var entry in _entries)
            {
                if (predicate(entry))
                {
                    return Task.FromResult(entry);
                }
            }

            var waiter = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((predicate, waiter));
            return waiter.Task;
        }
    }

    /// <summary>Completes with the first entry of the given event name.</summary>
    public Task<LogEntry> WaitForEventAsync(string eventName) => WaitForAsync(e => e.EventId.Name == eventName);

    public bool Contains(string eventName) => Entries.Any(e => e.EventId.Name == eventName);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        lock (_sync)
        {
            _entries.Add(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Predicate(entry))
                {
                    _waiters[i].Waiter.TrySetResult(entry);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

    private sealed class Logger(TestLogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
