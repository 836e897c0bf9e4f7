using Microsoft.Extensions.Logging;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>One captured log entry.</summary>
internal sealed record LogRecord(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}[{EventId.Id} {EventId.Name}] {Message}" + (Exception is null ? "" : $" {Exception.GetType().Name}: {Exception.Message}");
}
