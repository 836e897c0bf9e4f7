namespace Switchboard.AspNetCore.Internal;

internal sealed partial class WebSocketConnection
{
    // When the handshake began, for the disconnect line's duration; 0 while the access log is off.
    private long _accessLogStart;

    private void AccessLogConnecting()
    {
        if (_server.AccessLog is { } log)
        {
            _accessLogStart = log.Now();
            _context.Items[SwitchboardAccessLog.WebSocketLoggedKey] = true;
            log.WebSocket(_context, "WSCONNECTING", status: null, startTimestamp: null);
        }
    }

    private void AccessLogConnected() =>
        _server.AccessLog?.WebSocket(_context, "WSCONNECT", status: null, startTimestamp: null);

    private void AccessLogRejected(int status) =>
        _server.AccessLog?.WebSocket(_context, "WSREJECT", status == HandshakeFailed ? null : status, _accessLogStart);

    private void AccessLogDisconnected(int code)
    {
        // A refused handshake has its WSREJECT line; only an accepted socket disconnects.
        if (_accepted)
        {
            _server.AccessLog?.WebSocket(_context, "WSDISCONNECT", code, _accessLogStart);
        }
    }
}
