using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Internal;

namespace Switchboard.Security;

/// <summary>
/// Refuses a connection when its user, or its client address, already holds as many open connections through this
/// middleware as <see cref="ConnectionLimitOptions"/> allows: a WebSocket handshake with HTTP 403, an HTTP request with
/// 429, before the wrapped application runs. Channels has no equivalent; users have asked for one (django/channels#906).
/// </summary>
/// <remarks>
/// Counts are per middleware instance and per process. Put it inside the authentication middleware
/// (<c>AuthMiddlewareStack</c>) so that it sees the user, and outside the routers so that one limit covers every route.
/// </remarks>
/// <example>
/// <code>
/// ["websocket"] = AuthMiddlewareStack.Create(new ConnectionLimiter(router, new() { MaxConnectionsPerUser = 5, MaxConnectionsPerClientAddress = 50 })),
/// </code>
/// </example>
public sealed partial class ConnectionLimiter : ApplicationMiddleware
{
    private readonly ConcurrentDictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _perAddress = new(StringComparer.Ordinal);
    private readonly int _maxPerUser;
    private readonly int _maxPerAddress;

    /// <summary>Wraps <paramref name="inner"/> with connection limits.</summary>
    /// <param name="inner">The application to guard.</param>
    /// <param name="options">The limits; read once, here.</param>
    /// <exception cref="OptionsValidationException">A limit is negative.</exception>
    public ConnectionLimiter(IApplication inner, ConnectionLimitOptions options)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = ConnectionLimitOptionsValidator.Instance.Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ConnectionLimitOptions), validation.Failures);
        }

        _maxPerUser = options.MaxConnectionsPerUser;
        _maxPerAddress = options.MaxConnectionsPerClientAddress;
    }

    /// <summary>Counts the connection in when it opens and out when the wrapped application returns; refuses it (logged)
    /// when a limit is reached.</summary>
    /// <param name="scope">The connection's scope.</param>
    /// <param name="receive">Waits for the next event.</param>
    /// <param name="send">Sends an event to the server.</param>
    /// <returns>A task that completes when the connection is served or refused.</returns>
    public override async Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var user = _maxPerUser > 0 ? UserKeyOf(scope.User) : null;
        var address = _maxPerAddress > 0 ? scope.Client?.Address.ToString() : null;
        var userAdmitted = user is null || TryEnter(_perUser, user, _maxPerUser);
        var addressAdmitted = userAdmitted && (address is null || TryEnter(_perAddress, address, _maxPerAddress));
        if (!addressAdmitted)
        {
            if (userAdmitted && user is not null)
            {
                Leave(_perUser, user);
            }

            var logger = scope.Services.GetService<ILoggerFactory>()?.CreateLogger(SwitchboardDiagnostics.SecurityLogCategory) ?? NullLogger.Instance;
            if (userAdmitted)
            {
                Log.AddressLimitReached(logger, scope.Path, address!, _maxPerAddress);
            }
            else
            {
                Log.UserLimitReached(logger, scope.Path, user!, _maxPerUser);
            }

            await ConnectionRefusal.RefuseAsync(scope, receive, send, httpStatus: 429, reason: "connection_limit").ConfigureAwait(false);
            return;
        }

        try
        {
            await Inner.InvokeAsync(scope, receive, send).ConfigureAwait(false);
        }
        finally
        {
            if (user is not null)
            {
                Leave(_perUser, user);
            }

            if (address is not null)
            {
                Leave(_perAddress, address);
            }
        }
    }

    private static string? UserKeyOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.Identity.Name : null;

    private static bool TryEnter(ConcurrentDictionary<string, int> counts, string key, int max)
    {
        while (true)
        {
            if (!counts.TryGetValue(key, out var count))
            {
                if (counts.TryAdd(key, 1))
                {
                    return true;
                }

                continue;
            }

            if (count >= max)
            {
                return false;
            }

            if (counts.TryUpdate(key, count + 1, count))
            {
                return true;
            }
        }
    }

    private static void Leave(ConcurrentDictionary<string, int> counts, string key)
    {
        while (true)
        {
            var count = counts[key];

            // The last one out removes the key, so that the maps hold only users and addresses that are connected.
            if (count == 1 ? counts.TryRemove(KeyValuePair.Create(key, 1)) : counts.TryUpdate(key, count - 1, count))
            {
                return;
            }
        }
    }
}
