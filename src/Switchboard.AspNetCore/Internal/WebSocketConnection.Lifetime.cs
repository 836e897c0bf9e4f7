using Microsoft.Extensions.Logging;

namespace Switchboard.AspNetCore.Internal;

internal sealed partial class WebSocketConnection
{
    private const long NotOpen = long.MinValue;

    // The server's timestamp of the accept (NotOpen until then, or with no lifetime limit); read by the server's lifetime
    // sweep (SwitchboardServer.Lifetime.cs) instead of a timer per connection, which an idle socket would keep for its
    // whole life (about 170 bytes).
    private long _openedAt = NotOpen;

    /// <summary>Starts the clock of <see cref="SwitchboardServerOptions.MaxConnectionLifetime"/> once the socket is open.</summary>
    private void StartLifetimeClock()
    {
        if (_options.MaxConnectionLifetime != Timeout.InfiniteTimeSpan)
        {
            Volatile.Write(ref _openedAt, _server.TimeProvider.GetTimestamp());
        }
    }

    /// <summary>Whether the socket has been open for <see cref="SwitchboardServerOptions.MaxConnectionLifetime"/> at
    /// <paramref name="now"/> (a <see cref="SwitchboardServer.TimeProvider"/> timestamp).</summary>
    public bool IsPastLifetime(long now)
    {
        var openedAt = Volatile.Read(ref _openedAt);
        return openedAt != NotOpen && _server.TimeProvider.GetElapsedTime(openedAt, now) >= _options.MaxConnectionLifetime;
    }

    /// <summary>Closes the socket with 1000 at the end of its lifetime; called by the server's sweep, maybe more than once.</summary>
    public void OnLifetimeElapsed()
    {
        if (CloseFromServer(WebSocketCloseCode.NormalClosure, "Maximum connection lifetime reached", discardQueued: false))
        {
            Log.LifetimeElapsed(_logger, Path, _options.MaxConnectionLifetime);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1028, Level = LogLevel.Debug, EventName = "WebSocketLifetimeElapsed",
            Message = "WebSocket {Path}: open for {Lifetime} (MaxConnectionLifetime); closing with 1000.")]
        public static partial void LifetimeElapsed(ILogger logger, string path, TimeSpan lifetime);
    }
}
