using Microsoft.Extensions.Logging;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>Keeps every log entry of Warning and above that the server writes, to find the unhandled ones (Error, Critical).</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly object _sync = new();
    private readonly List<LogRecord> _entries = [];

    public IReadOnlyList<LogRecord> Entries
    {
        get
        {
            lock (_sync)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogRecord entry)
    {
        lock (_sync)
        {
            _entries.Add(entry);
        }
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture.Add(new LogRecord(category, logLevel, eventId, formatter(state, exception), exception));
            }
        }
    }
}
