using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Internal;

namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// One WebSocket connection: holds the handshake until the application decides, then carries messages both ways and
/// closes with the right code. The application instance runs for exactly as long as the connection (plus
/// <see cref="SwitchboardServerOptions.ApplicationCloseTimeout"/>).
/// </summary>
/// <remarks>
/// Inbound, a receive loop owns the socket's reads and hands each whole message to the application through a one-slot
/// inbox (WebSocketConnection.Inbox.cs). A waiting <c>receive</c> is completed inline by the loop, so an echo runs without a thread hop; while the
/// slot is full the loop stops reading, so a busy application slows its own client (TCP backpressure), nothing else.
/// Outbound goes through <see cref="WebSocketOutbox"/>. Every way the connection can end sets one
/// <see cref="WebSocketDisconnectEvent"/>, the last event the application receives, again and again.
/// </remarks>
internal sealed partial class WebSocketConnection : ISendBatching
{
    private const int InitialReceiveBufferSize = 4096;
    private const int HandshakeFailed = 0;

    private readonly SwitchboardServer _server;
    private readonly SwitchboardServerOptions _options;
    private readonly HttpContext _context;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly ReceiveDelegate _receive;
    private readonly SendDelegate _send;
    // Result: 101 once accepted, otherwise the HTTP status refusing the handshake (0 when the client is gone). Let go
    // once the handshake is over (completed exactly once: see CompleteHandshake), so an open socket does not keep it.
    private TaskCompletionSource<int>? _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Completes when the open phase is over: the socket ended (_socketEnded is then set) or the application returned.
    private readonly TaskCompletionSource _openOver = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _socketEnded;
    private readonly object _sync = new();
    private State _state;
    private bool _accepted;
    private bool _shutdownRequested;
    private bool _finished;
    private WebSocketOutbox? _outbox;
    private WebSocketDisconnectEvent? _disconnect;
    private Exception? _applicationException;
    private string? _refusalReason;
    private Task _receiveLoop = Task.CompletedTask;
    private CancellationTokenSource? _closeDeadline;
    private readonly TokenBucket? _incomingRate;

    // The connection's spans while something listens (null otherwise); the scope carries it to the consumer.
    private readonly ConnectionTrace? _trace;

    public WebSocketConnection(SwitchboardServer server, HttpContext context)
    {
        _server = server;
        _options = server.Options;
        _context = context;
        _logger = server.WebSocketLogger;
        _path = ConnectionScopeFactory.PathOf(context.Request);
        _receive = ReceiveAsync;
        _send = SendAsync;

        // After the handshake a WebSocket's messages start traces of their own, linked to the request.
        _trace = SwitchboardActivities.CreateConnectionTrace(detachAfterHandshake: true);
        if (_options.IncomingMessageRateLimit > 0)
        {
            _incomingRate = new TokenBucket(_options.IncomingMessageRateLimit, _options.IncomingMessageBurst, server.TimeProvider);
        }

        // The inbox starts with the first event (WebSocketConnection.Inbox.cs), before anything (a shutdown) can
        // complete it: the application always sees websocket.connect before websocket.disconnect.
    }

    private enum State
    {
        /// <summary>The handshake waits for the application.</summary>
        Connecting,

        /// <summary>The application accepted; the 101 response is being written.</summary>
        Accepting,

        /// <summary>Messages flow both ways.</summary>
        Open,

        /// <summary>A close began after accept (either side); the disconnect event is set.</summary>
        Closing,

        /// <summary>Over: refused before accept, or the connection was lost.</summary>
        Closed,
    }

    private string Path => _path;

    /// <summary>Serves the connection; the request ends when this completes.</summary>
    public async Task RunAsync()
    {
        _server.Metrics.ConnectionStarted(ScopeTypes.WebSocket);
        Log.Connecting(_logger, Path);
        AccessLogConnecting();

        // A child of the request's activity; the application runs under the request and finds the handshake in its scope.
        var handshake = SwitchboardActivities.StartHandshake(_trace, ScopeTypes.WebSocket);
        var status = HandshakeFailed;
        try
        {
            if (!_server.Track(this))
            {
                // The host is already stopping: refuse with 503.
                Shutdown();
            }

            (status, var application) = await HandshakeAsync().ConfigureAwait(false);
            SwitchboardActivities.StopHandshake(handshake, _trace, status);

            if (status == StatusCodes.Status101SwitchingProtocols)
            {
                await _openOver.Task.ConfigureAwait(false);
                if (!_socketEnded)
                {
                    // The application returned while the socket is open: close it for the application.
                    CloseFromServer(
                        _applicationException is null ? WebSocketCloseCode.NormalClosure : WebSocketCloseCode.InternalServerError,
                        reason: null,
                        discardQueued: false);
                }
                else
                {
                    await WaitForApplicationAsync(application).ConfigureAwait(false);
                }

                // The close handshake: the receive loop ends with the client's close frame, or when the close deadline aborts.
                await _receiveLoop.ConfigureAwait(false);
                await _outbox!.WhenIdleAsync().ConfigureAwait(false);
            }
            else
            {
                Log.Rejected(_logger, Path, status);
                AccessLogRejected(status);
                if (status != HandshakeFailed)
                {
                    _server.Metrics.HandshakeRefused(_refusalReason ?? "application");
                }

                if (status != HandshakeFailed && !_context.Response.HasStarted)
                {
                    // Answer now: the application may take up to ApplicationCloseTimeout to return.
                    _context.Response.StatusCode = status;
                    await _context.Response.CompleteAsync().ConfigureAwait(false);
                }

                await WaitForApplicationAsync(application).ConfigureAwait(false);
            }
        }
        finally
        {
            _server.Untrack(this);
            CancellationTokenSource? closeDeadline;
            lock (_sync)
            {
                _finished = true;
                closeDeadline = _closeDeadline;
            }

            closeDeadline?.Dispose();
            SwitchboardActivities.StopHandshake(handshake, _trace, status);
            _server.Metrics.ConnectionEnded(ScopeTypes.WebSocket);
            Log.Disconnected(_logger, Path, _disconnect?.Code ?? WebSocketCloseCode.AbnormalClosure);
            AccessLogDisconnected(_disconnect?.Code ?? WebSocketCloseCode.AbnormalClosure);
        }
    }

    /// <summary>Starts the application and waits until it accepts or refuses the handshake (or a limit or the client ends it).</summary>
    /// <remarks>A method of its own, so that the accept timer, the two registrations and the handshake's task are let
    /// go when the handshake is over: locals of <see cref="RunAsync"/> would be kept in its state for the socket's life.</remarks>
    private async Task<(int Status, Task Application)> HandshakeAsync()
    {
        using var acceptTimeout = new CancellationTokenSource(_options.AcceptTimeout, _server.TimeProvider);
        using var timedOut = acceptTimeout.Token.UnsafeRegister(static state => ((WebSocketConnection)state!).OnAcceptTimeout(), this);
        using var aborted = _context.RequestAborted.UnsafeRegister(static state => ((WebSocketConnection)state!).OnAbortedBeforeAccept(), this);
        var handshake = _handshake!.Task;
        var application = RunApplicationAsync();
        if (await Task.WhenAny(handshake, application).ConfigureAwait(false) == application)
        {
            OnApplicationReturnedBeforeAccept();
        }

        var status = await handshake.ConfigureAwait(false);
        _handshake = null;
        return (status, application);
    }

    /// <summary>Completes the handshake's task; called once, by whichever of the accept and the refusals moved the state first.</summary>
    private void CompleteHandshake(int status) => _handshake?.TrySetResult(status);

    /// <summary>Closes the connection because the host is stopping: 1001 when open, 503 while the handshake waits.</summary>
    public void Shutdown()
    {
        State state;
        lock (_sync)
        {
            _shutdownRequested = true;
            state = _state;
        }

        if (state == State.Connecting)
        {
            TryRefuse(StatusCodes.Status503ServiceUnavailable, WebSocketCloseCode.GoingAway, "shutdown");
        }
        else if (state == State.Open)
        {
            CloseFromServer(WebSocketCloseCode.GoingAway, "Server shutting down", discardQueued: false);
        }
    }

    private async Task RunApplicationAsync()
    {
        try
        {
            // The scope is made here and held by the application alone: a router passes on a copy, and the original
            // would otherwise stay alive, unused, for as long as the connection.
            await _server.Application.InvokeAsync(ConnectionScopeFactory.Create(_context, isWebSocket: true, _trace, sendBatching: this), _receive, _send).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _applicationException = e;
            Log.ApplicationFailed(_logger, Path, e);
        }
        finally
        {
            _openOver.TrySetResult();
        }
    }

    private async Task WaitForApplicationAsync(Task application)
    {
        if (application.IsCompleted)
        {
            return;
        }

        try
        {
            await application.WaitAsync(_options.ApplicationCloseTimeout, _server.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // It cannot be killed; RunApplicationAsync still logs its failure if it ever throws.
            Log.ApplicationCloseTimedOut(_logger, Path, _options.ApplicationCloseTimeout);
        }
    }

    private ValueTask SendAsync(ApplicationEvent message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message switch
        {
            WebSocketSendEvent send => Send(send, cancellationToken),
            WebSocketAcceptEvent accept => AcceptAsync(accept),
            WebSocketCloseEvent close => Close(close),
            _ => throw new InvalidOperationException(
                $"A websocket scope cannot send '{message.Type}': send {EventTypes.WebSocketAccept}, {EventTypes.WebSocketSend} or {EventTypes.WebSocketClose}."),
        };
    }

    private ValueTask Send(WebSocketSendEvent message, CancellationToken cancellationToken)
    {
        // The hot path takes no lock: the outbox is set once, when the accept completes (the state becomes Open in the
        // same step), and from then on it decides by itself whether a message still goes out. A broadcast to a room
        // calls this once per member, and a profile showed this lock contended.
        var outbox = Volatile.Read(ref _outbox);
        if (outbox is not null)
        {
            return outbox.SendAsync(message, cancellationToken);
        }

        lock (_sync)
        {
            if (_state is State.Connecting or State.Accepting)
            {
                throw new InvalidOperationException(
                    $"Cannot send {EventTypes.WebSocketSend} before the handshake is complete: send a WebSocketAcceptEvent first " +
                    "(and await it), or a WebSocketCloseEvent to refuse the connection.");
            }

            outbox = _outbox;
        }

        if (outbox is null)
        {
            // Refused or lost before accept.
            Log.SendIgnored(_logger, Path, message.Type);
            return default;
        }

        return outbox.SendAsync(message, cancellationToken);
    }

    private ValueTask AcceptAsync(WebSocketAcceptEvent accept)
    {
        lock (_sync)
        {
            if (_accepted)
            {
                throw new InvalidOperationException($"The WebSocket connection was already accepted: send {EventTypes.WebSocketAccept} once.");
            }

            if (_state != State.Connecting)
            {
                // Too late: the handshake was refused (accept timeout, shutdown) or the client left; a disconnect is waiting.
                Log.SendIgnored(_logger, Path, accept.Type);
                return default;
            }

            var offered = _context.WebSockets.WebSocketRequestedProtocols;
            if (accept.Subprotocol is { } subprotocol && !offered.Contains(subprotocol))
            {
                throw new InvalidOperationException(
                    $"Cannot accept with subprotocol '{subprotocol}': the client offered " +
                    (offered.Count == 0 ? "none" : string.Join(", ", offered)) +
                    ". Accept with one of ConnectionScope.Subprotocols, or with none.");
            }

            _state = State.Accepting;
            _accepted = true;
        }

        return new ValueTask(AcceptCoreAsync(accept.Subprotocol));
    }

    private async Task AcceptCoreAsync(string? subprotocol)
    {
        WebSocket socket;
        try
        {
            socket = await _context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = subprotocol,
                KeepAliveInterval = _options.KeepAliveInterval,
                KeepAliveTimeout = _options.KeepAliveTimeout,
                DangerousEnableCompression = _options.EnablePerMessageDeflate,
            }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The client went away during the handshake.
            Log.AcceptFailed(_logger, Path, e);
            lock (_sync)
            {
                _state = State.Closed;
                _disconnect ??= new WebSocketDisconnectEvent(WebSocketCloseCode.AbnormalClosure);
            }

            SignalEnded(inline: false);
            CompleteHandshake(HandshakeFailed);
            return;
        }

        bool shutdownRequested;
        lock (_sync)
        {
            var outbox = new WebSocketOutbox(
                socket,
                Transport(),
                _options,
                _server.Metrics,
                _server.OverflowWarnings,
                _logger,
                Path,
                static connection => ((WebSocketConnection)connection).CloseFromServer(WebSocketCloseCode.PolicyViolation, "Outbound queue overflow", discardQueued: true),
                this);
            _state = State.Open;
            Volatile.Write(ref _outbox, outbox);
            shutdownRequested = _shutdownRequested;
        }

        if (subprotocol is null)
        {
            Log.Accepted(_logger, Path);
        }
        else
        {
            Log.AcceptedWithSubprotocol(_logger, Path, subprotocol);
        }

        AccessLogConnected();

        // The handshake ends here, on the application's flow: events from now on are not its children.
        SwitchboardActivities.EndHandshake(_trace, StatusCodes.Status101SwitchingProtocols);
        StartLifetimeClock();

        // The loop runs without the application's execution context (its AsyncLocals): it lives as long as the
        // connection. It starts by yielding to the thread pool, so that it never runs a waiting receive inside this send.
        if (ExecutionContext.IsFlowSuppressed())
        {
            _receiveLoop = ReceiveLoopAsync(socket);
        }
        else
        {
            using (ExecutionContext.SuppressFlow())
            {
                _receiveLoop = ReceiveLoopAsync(socket);
            }
        }

        CompleteHandshake(StatusCodes.Status101SwitchingProtocols);
        if (shutdownRequested)
        {
            CloseFromServer(WebSocketCloseCode.GoingAway, "Server shutting down", discardQueued: false);
        }
    }

    /// <summary>
    /// The stream the socket was built on, when the upgrade went through <see cref="WebSocketTransportFeature"/> and
    /// negotiated no extension: the outbox then writes a backlog as frames it encodes itself, exactly the frames the
    /// socket would write.
    /// </summary>
    private WebSocketTransportStream? Transport() => WebSocketTransportFeature.TransportOf(_context);

    private ValueTask Close(WebSocketCloseEvent close)
    {
        if (close.Reason is { } reason && Encoding.UTF8.GetByteCount(reason) > 123)
        {
            throw new ArgumentException("A WebSocket close reason must fit in 123 UTF-8 bytes.", nameof(close));
        }

        State state;
        lock (_sync)
        {
            state = _state;
        }

        switch (state)
        {
            case State.Connecting:
                // Refusing the handshake (daphne's "Access denied"); 1011 means the application failed.
                TryRefuse(
                    close.Code == WebSocketCloseCode.InternalServerError ? StatusCodes.Status500InternalServerError : StatusCodes.Status403Forbidden,
                    close.Code,
                    close.RefusalReason ?? (close.Code == WebSocketCloseCode.InternalServerError ? "error" : "application"));
                break;
            case State.Accepting:
                throw new InvalidOperationException($"Cannot send {EventTypes.WebSocketClose} while the accept is being written: await the accept first.");
            case State.Open:
                if (!IsValidCloseCode(close.Code))
                {
                    throw new ArgumentException(
                        $"WebSocket close code {close.Code} cannot be sent: use 1000-1003, 1007-1014 or an application code in 3000-4999.", nameof(close));
                }

                if (!CloseFromServer(close.Code, close.Reason, discardQueued: false))
                {
                    Log.SendIgnored(_logger, Path, close.Type);
                }

                break;
            default:
                Log.SendIgnored(_logger, Path, close.Type);
                break;
        }

        return default;
    }

    private static bool IsValidCloseCode(int code) =>
        code is >= 1000 and <= 1003 or >= 1007 and <= 1014 or >= 3000 and <= 4999;

    private void OnAcceptTimeout()
    {
        if (TryRefuse(StatusCodes.Status503ServiceUnavailable, WebSocketCloseCode.AbnormalClosure, "accept_timeout"))
        {
            Log.AcceptTimedOut(_logger, Path, _options.AcceptTimeout);
        }
    }

    private void OnAbortedBeforeAccept() => TryRefuse(HandshakeFailed, WebSocketCloseCode.AbnormalClosure, "client_left");

    private void OnApplicationReturnedBeforeAccept()
    {
        var failed = _applicationException is not null;
        if (TryRefuse(failed ? StatusCodes.Status500InternalServerError : StatusCodes.Status403Forbidden, WebSocketCloseCode.AbnormalClosure, failed ? "error" : "application")
            && !failed)
        {
            Log.ApplicationReturnedBeforeAccept(_logger, Path);
        }
    }

    /// <summary>Ends a handshake that is still waiting for the application, with an HTTP status; the reason is what the
    /// refusal is counted under unless a guard (origin, limits, authorization) gave its own.</summary>
    private bool TryRefuse(int status, int disconnectCode, string reason)
    {
        lock (_sync)
        {
            if (_state != State.Connecting)
            {
                return false;
            }

            _state = State.Closed;
            _disconnect = new WebSocketDisconnectEvent(disconnectCode);
            _refusalReason = reason;
        }

        SwitchboardActivities.EndHandshake(_trace, status);
        SignalEnded(inline: false);
        CompleteHandshake(status);
        return true;
    }

    /// <summary>Starts a close from this side (the application, a limit, or shutdown); the application's disconnect carries the code.</summary>
    private bool CloseFromServer(int code, string? reason, bool discardQueued)
    {
        WebSocketOutbox outbox;
        lock (_sync)
        {
            if (_state != State.Open)
            {
                return false;
            }

            _state = State.Closing;
            _disconnect ??= new WebSocketDisconnectEvent(code);
            outbox = _outbox!;
        }

        outbox.Close(code, reason, discardQueued);
        StartCloseDeadline();
        SignalEnded(inline: false);
        return true;
    }

    /// <summary>The client's close frame arrived: answer it (dropping what is still queued) and end.</summary>
    private void OnClientClosed(int code)
    {
        WebSocketOutbox? answer = null;
        lock (_sync)
        {
            if (_state == State.Open)
            {
                _state = State.Closing;
                answer = _outbox;
            }

            _disconnect ??= new WebSocketDisconnectEvent(code);
        }

        if (answer is not null)
        {
            // Echo the client's code; a close without a code is answered with 1000, because 1005 must never go on the
            // wire and .NET's WebSocket cannot send a close frame without a code.
            answer.Close(code == WebSocketCloseCode.NoStatusReceived ? WebSocketCloseCode.NormalClosure : code, reason: null, discardQueued: true);
            StartCloseDeadline();
        }

        SignalEnded(inline: true);
    }

    private void OnConnectionLost()
    {
        WebSocketOutbox? outbox;
        lock (_sync)
        {
            _state = State.Closed;
            _disconnect ??= new WebSocketDisconnectEvent(WebSocketCloseCode.AbnormalClosure);
            outbox = _outbox;
        }

        outbox?.Discard();
        SignalEnded(inline: true);
    }

    /// <summary>Makes the disconnect event visible to the application and wakes RunAsync.</summary>
    /// <param name="inline">Whether a waiting <c>receive</c> may continue on this thread: only from the receive loop, so
    /// that the application never runs inside another connection's send, a timer or the shutdown callback.</param>
    private void SignalEnded(bool inline)
    {
        if (inline)
        {
            CompleteInbox();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static connection => connection.CompleteInbox(), this, preferLocal: false);
        }

        _socketEnded = true;
        _openOver.TrySetResult();
    }

    private void StartCloseDeadline()
    {
        CancellationTokenSource deadline;
        lock (_sync)
        {
            if (_closeDeadline is not null || _finished)
            {
                return;
            }

            // Registered under the lock, so that the request's end (which disposes the source under the lock) cannot
            // come between creating and registering it. A new timeout cannot fire inline, so no re-entrancy.
            deadline = _closeDeadline = new CancellationTokenSource(_options.CloseHandshakeTimeout, _server.TimeProvider);
            deadline.Token.UnsafeRegister(static state => ((WebSocketConnection)state!).OnCloseDeadline(), this);
        }
    }

    private void OnCloseDeadline()
    {
        lock (_sync)
        {
            if (_finished)
            {
                return;
            }
        }

        Log.CloseHandshakeTimedOut(_logger, Path, _options.CloseHandshakeTimeout);
        _context.Abort();
    }
}
