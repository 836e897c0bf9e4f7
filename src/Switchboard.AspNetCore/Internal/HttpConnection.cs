using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// One <c>http</c> request served by the application: the body arrives as <c>http.request</c> chunks, the response
/// goes out as <c>http.response.start</c> and <c>http.response.body</c>, and <c>http.disconnect</c> follows when the
/// response is complete or the client leaves.
/// </summary>
/// <remarks>One sender at a time: the application sends the response from one flow, as ASGI does.</remarks>
internal sealed partial class HttpConnection
{
    private readonly SwitchboardServer _server;
    private readonly HttpContext _context;
    private readonly ConnectionScope _scope;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _applicationException;
    private volatile bool _abandoned;
    private volatile bool _finished;
    private int _badRequestStatus;
    private bool _bodyComplete;
    private bool _started;
    private bool _completed;

    public HttpConnection(SwitchboardServer server, HttpContext context)
    {
        _server = server;
        _context = context;
        _logger = server.HttpLogger;
        _scope = ConnectionScopeFactory.Create(context, isWebSocket: false, SwitchboardActivities.CreateConnectionTrace(detachAfterHandshake: false));
    }

    /// <summary>Serves the request; the request ends when this completes.</summary>
    public async Task RunAsync()
    {
        _server.Metrics.ConnectionStarted(ScopeTypes.Http);

        // Until the response starts: what a long-poll spends waiting, as a child of the request's activity.
        var handshake = SwitchboardActivities.StartHandshake(_scope.Trace, ScopeTypes.Http);
        try
        {
            using (_context.RequestAborted.UnsafeRegister(static state => ((HttpConnection)state!)._disconnected.TrySetResult(), this))
            using (StartResponseTimeout())
            {
                var application = RunApplicationAsync();
                await Task.WhenAny(application, _disconnected.Task).ConfigureAwait(false);
                await AnswerIfTimedOutAsync().ConfigureAwait(false);
                if (!application.IsCompleted)
                {
                    // The response is complete or the client left: the application gets the close timeout to return.
                    try
                    {
                        await application.WaitAsync(_server.Options.ApplicationCloseTimeout, _server.TimeProvider).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        _abandoned = true;
                        Log.ApplicationCloseTimedOut(_logger, _scope.Method!, _scope.Path, _server.Options.ApplicationCloseTimeout);
                        return;
                    }
                }
            }

            await FinishAsync().ConfigureAwait(false);
        }
        finally
        {
            // From here on the HttpContext belongs to the next request: an abandoned application must not touch it.
            _finished = true;
            _disconnected.TrySetResult();
            SwitchboardActivities.StopHandshake(handshake, _scope.Trace, _context.Response.StatusCode);
            _server.Metrics.ConnectionEnded(ScopeTypes.Http);
        }
    }

    private async Task RunApplicationAsync()
    {
        try
        {
            await _server.Application.InvokeAsync(_scope, ReceiveAsync, SendAsync).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _applicationException = e;
            if (_abandoned)
            {
                // Nobody waits for it any more: FinishAsync will not see this failure.
                Log.ApplicationFailedAfterResponseStarted(_logger, _scope.Method!, _scope.Path, e);
            }
        }
    }

    /// <summary>Answers for an application that failed or left its response unfinished.</summary>
    private async Task FinishAsync()
    {
        if (IsTimedOut)
        {
            // Answered with 503 already.
            return;
        }

        var response = _context.Response;
        if (_applicationException is { } exception)
        {
            if (!response.HasStarted)
            {
                // Daphne leaves the client hanging here without a word (channels#1350); we log and answer.
                Log.ApplicationFailed(_logger, _scope.Method!, _scope.Path, exception);
                response.Clear();
                response.StatusCode = StatusCodes.Status500InternalServerError;
            }
            else
            {
                // Headers are out: the only honest signal left is to abort the response.
                Log.ApplicationFailedAfterResponseStarted(_logger, _scope.Method!, _scope.Path, exception);
                _context.Abort();
            }

            return;
        }

        if (_context.RequestAborted.IsCancellationRequested || _completed)
        {
            return;
        }

        if (!_started)
        {
            if (_badRequestStatus != 0)
            {
                response.StatusCode = _badRequestStatus;
                return;
            }

            Log.NoResponse(_logger, _scope.Method!, _scope.Path);
            response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        Log.ResponseIncomplete(_logger, _scope.Method!, _scope.Path);
        _completed = true;
        await response.CompleteAsync().ConfigureAwait(false);
    }

    private ValueTask<ApplicationEvent> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (!_bodyComplete && !_finished)
        {
            return ReadBodyAsync(cancellationToken);
        }

        return _disconnected.Task.IsCompleted
            ? new ValueTask<ApplicationEvent>(HttpDisconnectEvent.Instance)
            : WaitForDisconnectAsync(cancellationToken);
    }

    private async ValueTask<ApplicationEvent> ReadBodyAsync(CancellationToken cancellationToken)
    {
        var reader = _context.Request.BodyReader;
        ReadResult result;
        try
        {
            result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            // For example a body over Kestrel's MaxRequestBodySize: answered with its status unless the application answers.
            _badRequestStatus = e.StatusCode;
            _bodyComplete = true;
            _disconnected.TrySetResult();
            return HttpDisconnectEvent.Instance;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The client left in the middle of the body.
            _bodyComplete = true;
            _disconnected.TrySetResult();
            return HttpDisconnectEvent.Instance;
        }

        var chunk = result.Buffer.IsEmpty ? [] : result.Buffer.ToArray();
        reader.AdvanceTo(result.Buffer.End);
        if (result.IsCompleted || result.IsCanceled)
        {
            _bodyComplete = true;
        }

        return new HttpRequestEvent(chunk, moreBody: !_bodyComplete);
    }

    private async ValueTask<ApplicationEvent> WaitForDisconnectAsync(CancellationToken cancellationToken)
    {
        await _disconnected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return HttpDisconnectEvent.Instance;
    }

    private ValueTask SendAsync(ApplicationEvent message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_finished || IsTimedOut)
        {
            Log.SendIgnored(_logger, _scope.Method!, _scope.Path);
            return default;
        }

        return message switch
        {
            HttpResponseStartEvent start => Start(start),
            HttpResponseBodyEvent body => WriteBodyAsync(body, cancellationToken),
            _ => throw new InvalidOperationException(
                $"An http scope cannot send '{message.Type}': send {EventTypes.HttpResponseStart}, then {EventTypes.HttpResponseBody}."),
        };
    }

    private ValueTask Start(HttpResponseStartEvent start)
    {
        if (_started)
        {
            throw new InvalidOperationException($"{EventTypes.HttpResponseStart} was already sent: send it once, then {EventTypes.HttpResponseBody}.");
        }

        if (start.Status is < 100 or > 999)
        {
            throw new ArgumentException($"HTTP status {start.Status} is not a valid status code (100-999).", nameof(start));
        }

        if (!TryClaimResponse())
        {
            // The response timeout answered 503 first.
            Log.SendIgnored(_logger, _scope.Method!, _scope.Path);
            return default;
        }

        _started = true;

        // The client being gone is what matters, not http.disconnect: after a rejected body (413) the application may
        // still answer, and its status and headers must go with its body.
        if (_context.RequestAborted.IsCancellationRequested)
        {
            return default;
        }

        SwitchboardActivities.EndHandshake(_scope.Trace, start.Status);
        var response = _context.Response;
        response.StatusCode = start.Status;
        foreach (var header in start.Headers)
        {
            response.Headers.Append(header.Key, header.Value);
        }

        return default;
    }

    private async ValueTask WriteBodyAsync(HttpResponseBodyEvent body, CancellationToken cancellationToken)
    {
        if (!_started)
        {
            throw new InvalidOperationException($"Send {EventTypes.HttpResponseStart} before {EventTypes.HttpResponseBody}.");
        }

        if (_completed)
        {
            throw new InvalidOperationException(
                $"The response is complete: the last {EventTypes.HttpResponseBody} (MoreBody false) was already sent.");
        }

        if (!body.MoreBody)
        {
            _completed = true;
        }

        if (_context.RequestAborted.IsCancellationRequested)
        {
            Log.SendIgnored(_logger, _scope.Method!, _scope.Path);
            _disconnected.TrySetResult();
            return;
        }

        var response = _context.Response;
        if (body.MoreBody)
        {
            // Streaming or long-poll: flush each chunk so that the client sees it now.
            await response.BodyWriter.WriteAsync(body.Body, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!response.HasStarted && response.ContentLength is null && !response.Headers.ContainsKey(HeaderNames.TransferEncoding))
        {
            // The whole body in one event: say how long it is rather than chunking it.
            response.ContentLength = body.Body.Length;
        }

        response.BodyWriter.Write(body.Body.Span);
        await response.CompleteAsync().ConfigureAwait(false);
        _disconnected.TrySetResult();
    }
}
