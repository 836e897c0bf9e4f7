using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Switchboard.AspNetCore.Internal;

internal sealed partial class HttpConnection
{
    private const int ResponsePending = 0;
    private const int ResponseClaimed = 1;
    private const int ResponseTimedOut = 2;

    // Who answers: the application (http.response.start) or the timeout (503); the first to swap the state wins.
    private int _responseOwner;

    private bool IsTimedOut => Volatile.Read(ref _responseOwner) == ResponseTimedOut;

    /// <summary>Starts the clock of <see cref="SwitchboardServerOptions.HttpResponseTimeout"/> (daphne's <c>--http-timeout</c>).</summary>
    private ITimer? StartResponseTimeout()
    {
        var timeout = _server.Options.HttpResponseTimeout;
        return timeout == Timeout.InfiniteTimeSpan
            ? null
            : _server.TimeProvider.CreateTimer(static state => ((HttpConnection)state!).OnResponseTimeout(), this, timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Claims the response for the application; false once the timeout has answered.</summary>
    private bool TryClaimResponse() =>
        Interlocked.CompareExchange(ref _responseOwner, ResponseClaimed, ResponsePending) != ResponseTimedOut;

    private void OnResponseTimeout()
    {
        if (Interlocked.CompareExchange(ref _responseOwner, ResponseTimedOut, ResponsePending) == ResponsePending)
        {
            // Wakes RunAsync, which answers 503; the application's receive returns http.disconnect.
            _disconnected.TrySetResult();
        }
    }

    private async Task AnswerIfTimedOutAsync()
    {
        if (!IsTimedOut || _context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        Log.ResponseTimedOut(_logger, _scope.Method!, _scope.Path, _server.Options.HttpResponseTimeout);
        var response = _context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync("Application failed to respond within time limit.").ConfigureAwait(false);
        await response.CompleteAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, EventName = "HttpResponseTimedOut",
            Message = "HTTP {Method} {Path}: the application did not start its response within {Timeout} (HttpResponseTimeout); answering 503.")]
        public static partial void ResponseTimedOut(ILogger logger, string method, string path, TimeSpan timeout);
    }
}
