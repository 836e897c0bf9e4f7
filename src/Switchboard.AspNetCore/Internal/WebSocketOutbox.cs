using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Switchboard.Internal;

namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// The outgoing side of one WebSocket: writes messages and the close frame in order, one write at a time, through a
/// queue bounded by bytes, so that a client that stops reading holds up only its own connection.
/// </summary>
/// <remarks>
/// When nothing is being written, a message is written inline: <see cref="WebSocket.SendAsync(ReadOnlyMemory{byte}, WebSocketMessageType, bool, CancellationToken)"/>
/// usually completes synchronously into Kestrel's output pipe, so an echo costs no thread hop and no allocation.
/// When a write does not complete synchronously (the pipe is full: the client reads slowly), later messages are queued
/// and a drain loop writes them as the earlier writes complete, many frames per write (WebSocketOutbox.Drain.cs);
/// <c>send</c> returns once its message is queued. A queue over its byte budget applies
/// <see cref="SwitchboardServerOptions.OverflowPolicy"/>.
/// </remarks>
internal sealed partial class WebSocketOutbox
{
    private readonly WebSocket _socket;
    private readonly Stream? _transport;
    private readonly SwitchboardServerOptions _options;
    private readonly SwitchboardMetrics _metrics;
    private readonly LogThrottle _overflowWarnings;
    private readonly ILogger _logger;
    private readonly string _path;
    private readonly Action<object> _onOverflow;
    private readonly object _overflowState;
    private readonly object _sync = new();
    private readonly SegmentedQueue<Outgoing> _queue = new();
    private long _queuedBytes;
    private bool _writing;
    private bool _closed;
    private TaskCompletionSource? _space;
    private TaskCompletionSource? _idle;

    /// <summary>Creates the outbox of an accepted WebSocket.</summary>
    /// <param name="socket">The socket; the outbox is its only sender of messages.</param>
    /// <param name="transport">The stream under <paramref name="socket"/>, with writes serialised against the socket's own
    /// (a <see cref="WebSocketTransportStream"/>), to write a backlog as encoded frames in one write; <see langword="null"/>
    /// sends every message through <paramref name="socket"/>.</param>
    /// <param name="options">The queue limits and overflow policy.</param>
    /// <param name="metrics">Counts sent and dropped messages.</param>
    /// <param name="overflowWarnings">The server-wide throttle of overflow warnings.</param>
    /// <param name="logger">The WebSocket logger.</param>
    /// <param name="path">The connection's path, for logs.</param>
    /// <param name="onOverflow">Closes the connection with 1008 when the queue overflows under <see cref="WebSocketOverflowPolicy.CloseConnection"/>.</param>
    /// <param name="overflowState">What <paramref name="onOverflow"/> is called with (the connection: a static callback
    /// with its state costs a socket no delegate of its own).</param>
    public WebSocketOutbox(
        WebSocket socket,
        Stream? transport,
        SwitchboardServerOptions options,
        SwitchboardMetrics metrics,
        LogThrottle overflowWarnings,
        ILogger logger,
        string path,
        Action<object> onOverflow,
        object overflowState)
    {
        _socket = socket;
        _transport = transport;
        _options = options;
        _metrics = metrics;
        _overflowWarnings = overflowWarnings;
        _logger = logger;
        _path = path;
        _onOverflow = onOverflow;
        _overflowState = overflowState;
    }

    private enum Admission
    {
        WriteNow,
        Queued,
        Ignored,
        DroppedNewest,
        DroppedOldest,
        Overflow,
        MustWait,
        Drain,
    }

    /// <summary>Writes or queues a message; completes once it is queued (under <see cref="WebSocketOverflowPolicy.Wait"/>, once there was room).</summary>
    public ValueTask SendAsync(WebSocketSendEvent message, CancellationToken cancellationToken)
    {
        Admission admission;
        int dropped;
        Task? space;
        lock (_sync)
        {
            // A send after the connection ended is ignored before the token is looked at: a consumer whose client is gone
            // (its token cancelled by the disconnect) gets a Debug line, not an OperationCanceledException.
            if (!_closed && cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled(cancellationToken);
            }

            admission = Admit(message, out dropped, out space);
        }

        return Complete(admission, message, dropped, space, cancellationToken);
    }

    /// <summary>
    /// Queues the close frame behind the queued messages (or instead of them), after which every message is ignored.
    /// Does nothing when a close was already queued.
    /// </summary>
    /// <param name="code">The close code (1000-4999, never 1005 or 1006: they must not go on the wire).</param>
    /// <param name="reason">The reason, at most 123 UTF-8 bytes.</param>
    /// <param name="discardQueued">Whether to drop the messages still queued (the peer already closed, or cannot keep up).</param>
    public void Close(int code, string? reason, bool discardQueued)
    {
        var close = Outgoing.ForClose(code, reason);
        var heldMessages = false;
        lock (_sync)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            if (discardQueued)
            {
                ClearLocked();
            }

            SignalSpaceLocked();
            if (_writing)
            {
                _queue.Enqueue(close);
                return;
            }

            _writing = true;
            if (_queue.Count > 0)
            {
                // Messages a batch held go out before the close frame.
                _queue.Enqueue(close);
                heldMessages = true;
            }
        }

        _ = DrainAsync(heldMessages ? default : Write(close), written: 0, writtenBytes: 0);
    }

    /// <summary>Stops accepting and drops what is queued: the connection is gone.</summary>
    public void Discard()
    {
        lock (_sync)
        {
            _closed = true;
            ClearLocked();
            SignalSpaceLocked();
        }
    }

    /// <summary>Completes when no write is in progress, so that the request can end without a write touching a finished connection.</summary>
    public Task WhenIdleAsync()
    {
        lock (_sync)
        {
            return _writing ? (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
        }
    }

    private Admission Admit(WebSocketSendEvent message, out int dropped, out Task? space)
    {
        dropped = 0;
        space = null;
        if (_closed)
        {
            return Admission.Ignored;
        }

        var outgoing = Outgoing.ForMessage(message);
        if (!_writing && _queue.Count == 0 && !HoldsLocked(outgoing.Size))
        {
            _writing = true;
            return Admission.WriteNow;
        }

        if (HasRoomLocked(outgoing.Size))
        {
            EnqueueLocked(outgoing);

            // Behind messages a batch held: they go first, once the batch is large enough (or has ended).
            return !HoldsLocked(0) && StartDrainLocked() ? Admission.Drain : Admission.Queued;
        }

        if (!_writing)
        {
            // Nothing is being written, so this message would have gone out at once but for the messages a batch held
            // (under 64 KiB): it is never refused for them, it follows them.
            EnqueueLocked(outgoing);
            _writing = true;
            return Admission.Drain;
        }

        switch (_options.OverflowPolicy)
        {
            case WebSocketOverflowPolicy.DropNewest:
                dropped = 1;
                return Admission.DroppedNewest;

            case WebSocketOverflowPolicy.DropOldest:
                while (_queue.Count > 0 && !HasRoomLocked(outgoing.Size))
                {
                    _queuedBytes -= _queue.Dequeue().Size;
                    dropped++;
                }

                EnqueueLocked(outgoing);
                return Admission.DroppedOldest;

            case WebSocketOverflowPolicy.Wait:
                space = (_space ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                return Admission.MustWait;

            default:
                // The backlog and this message are lost: onOverflow queues the 1008 close, which discards the backlog.
                dropped = _queue.Count + 1;
                return Admission.Overflow;
        }
    }

    private ValueTask Complete(Admission admission, WebSocketSendEvent message, int dropped, Task? space, CancellationToken cancellationToken)
    {
        switch (admission)
        {
            case Admission.WriteNow:
                _ = DrainAsync(Write(Outgoing.ForMessage(message)), written: 1, writtenBytes: message.Data.Length);
                break;
            case Admission.Drain:
                _ = DrainAsync(default, written: 0, writtenBytes: 0);
                break;
            case Admission.Ignored:
                Log.SendIgnored(_logger, _path);
                break;
            case Admission.DroppedNewest:
            case Admission.DroppedOldest:
                ReportDropped(dropped, closing: false);
                break;
            case Admission.Overflow:
                _metrics.OverflowClose();
                ReportDropped(dropped, closing: true);
                _onOverflow(_overflowState);
                break;
            case Admission.MustWait:
                return WaitForRoomAsync(message, space!, cancellationToken);
        }

        return default;
    }

    private void ReportDropped(int count, bool closing)
    {
        _metrics.MessagesDropped(count, SwitchboardMetrics.OutboundOverflowReason);

        var outcome = closing ? "closing the connection with 1008" : $"keeping the connection ({_options.OverflowPolicy})";

        // Server-wide, one Warning per interval: a thousand clients cut off at once are one incident, not a thousand.
        if (_overflowWarnings.TryEnter())
        {
            Log.OutboundOverflowWarning(
                _logger, _path, _options.OutboundQueueMaxBytes, _options.OutboundQueueCapacity, count, outcome, _overflowWarnings.Interval);
        }
        else
        {
            Log.OutboundOverflow(_logger, _path, _options.OutboundQueueMaxBytes, _options.OutboundQueueCapacity, count, outcome);
        }
    }

    private async ValueTask WaitForRoomAsync(WebSocketSendEvent message, Task space, CancellationToken cancellationToken)
    {
        while (true)
        {
            await space.WaitAsync(cancellationToken).ConfigureAwait(false);
            Admission admission;
            int dropped;
            Task? next;
            lock (_sync)
            {
                admission = Admit(message, out dropped, out next);
            }

            if (admission != Admission.MustWait)
            {
                await Complete(admission, message, dropped, next, cancellationToken).ConfigureAwait(false);
                return;
            }

            space = next!;
        }
    }

    private bool HasRoomLocked(long size) =>
        _queue.Count < _options.OutboundQueueCapacity
        && (_queue.Count == 0 || _queuedBytes + size <= _options.OutboundQueueMaxBytes);

    private void EnqueueLocked(Outgoing outgoing)
    {
        _queue.Enqueue(outgoing);
        _queuedBytes += outgoing.Size;
    }

    private void ClearLocked()
    {
        _queue.Clear();
        _queuedBytes = 0;
    }

    private void SignalSpaceLocked()
    {
        // Continuations run asynchronously, so waking the waiters under the lock is safe.
        _space?.TrySetResult();
        _space = null;
    }

    private void SignalIdleLocked()
    {
        _idle?.TrySetResult();
        _idle = null;
    }
}
