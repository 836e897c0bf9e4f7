using Microsoft.Extensions.Logging;

namespace Switchboard.AspNetCore.Internal;

internal sealed partial class WebSocketConnection
{
    // Set before the handshake's result is published and disposed when the request ends, both on RunAsync's flow.
    private ITimer? _lifetimeTimer;

    /// <summary>Starts the clock of <see cref="SwitchboardServerOptions.MaxConnectionLifetime"/> once the socket is open.</summary>
    private void StartLifetimeTimer()
    {
        if (_options.MaxConnectionLifetime != Timeout.InfiniteTimeSpan)
        {
            _lifetimeTimer = _server.TimeProvider.CreateTimer(
                static state => ((WebSocketConnection)state!).OnLifetimeElapsed(), this, _options.MaxConnectionLifetime, Timeout.InfiniteTimeSpan);
        }
    }

    private void StopLifetimeTimer() => _lifetimeTimer?.Dispose();

    private void OnLifetimeElapsed()
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
