using System.Security.Claims;
using Microsoft.Extensions.Logging;

namespace Switchboard.Auth;

/// <summary>
/// Watches the authentication of one open WebSocket for <see cref="AuthMiddleware"/>: from the accept on, closes the
/// socket with 1008 when the authentication expires or when the periodic re-check fails. Its <see cref="Send"/> stands
/// in for the connection's send so that it sees the accept; disposing it (when the application returns) stops it.
/// </summary>
internal sealed class AuthenticationWatch : IDisposable
{
    // Task.Delay takes at most about 49 days; a later expiry is waited for in steps.
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromDays(1);

    private readonly ConnectionScope _scope;
    private readonly SendDelegate _send;
    private readonly AuthMiddlewareOptions _options;
    private readonly DateTimeOffset? _expires;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopped = new();
    private int _started;

    public AuthenticationWatch(ConnectionScope scope, SendDelegate send, AuthMiddlewareOptions options, DateTimeOffset? expires, TimeProvider time, ILogger logger)
    {
        _scope = scope;
        _send = send;
        _options = options;
        _expires = expires;
        _time = time;
        _logger = logger;
        Send = SendAsync;
    }

    public SendDelegate Send { get; }

    public void Dispose()
    {
        _stopped.Cancel();
        _stopped.Dispose();
    }

    private async ValueTask SendAsync(ApplicationEvent message, CancellationToken cancellationToken)
    {
        await _send(message, cancellationToken).ConfigureAwait(false);
        if (message is WebSocketAcceptEvent && Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = WatchAsync(_stopped.Token);
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            var interval = _options.RevalidationInterval;
            var nextCheck = interval > TimeSpan.Zero ? _time.GetUtcNow() + interval : DateTimeOffset.MaxValue;
            while (true)
            {
                var now = _time.GetUtcNow();
                var due = _expires is { } expires && expires < nextCheck ? expires : nextCheck;
                if (due > now)
                {
                    var wait = due - now;
                    // Forced onto the thread pool: the close and the re-check never run inside the timer's callback.
                    await Task.Delay(wait < s_maxDelay ? wait : s_maxDelay, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                    continue;
                }

                if (_expires is { } expiry && expiry <= now)
                {
                    AuthMiddleware.Log.AuthenticationExpired(_logger, _scope.Path, NameOf(_scope.User), expiry);
                    await CloseAsync("Authentication expired").ConfigureAwait(false);
                    return;
                }

                if (!await StillValidAsync(cancellationToken).ConfigureAwait(false))
                {
                    await CloseAsync("Authentication revoked").ConfigureAwait(false);
                    return;
                }

                nextCheck = _time.GetUtcNow() + interval;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The application returned: nothing left to watch.
        }
        catch (ObjectDisposedException)
        {
            // Disposed while the check ran.
        }
    }

    private async ValueTask<bool> StillValidAsync(CancellationToken cancellationToken)
    {
        var user = _scope.User;
        try
        {
            if (await _options.RevalidateUser!(new UserRevalidationContext(_scope, user, cancellationToken)).ConfigureAwait(false))
            {
                return true;
            }

            AuthMiddleware.Log.UserRevoked(_logger, _scope.Path, NameOf(user));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            AuthMiddleware.Log.RevalidationFailed(_logger, _scope.Path, NameOf(user), e);
        }

        return false;
    }

    private async ValueTask CloseAsync(string reason)
    {
        _scope.SetUser(new ClaimsPrincipal(new ClaimsIdentity()));
        await _send(new WebSocketCloseEvent(WebSocketCloseCode.PolicyViolation, reason), CancellationToken.None).ConfigureAwait(false);
    }

    private static string NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? "(unnamed user)";
}
