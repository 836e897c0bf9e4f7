using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Switchboard.Security;

/// <summary>
/// An <see cref="OriginValidator"/> whose allowed list is ASP.NET Core's <c>AllowedHosts</c> setting (Channels'
/// <c>AllowedHostsOriginValidator</c>, fed from Django's <c>ALLOWED_HOSTS</c>): a handshake whose <c>Origin</c> host is
/// not one of the hosts the site answers to is refused with HTTP 403.
/// </summary>
/// <remarks>
/// <para>The setting is the configuration key <c>AllowedHosts</c> that ASP.NET Core's host filtering reads, hosts
/// separated by <c>;</c>: <c>*</c> allows every origin, <c>*.example.com</c> (host filtering's spelling) allows
/// example.com and its subdomains, anything else is an exact host on any scheme and port. It is read for each
/// connection, so a reloaded configuration applies to the next handshake.</para>
/// <para>When the key is missing or empty, only <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c> are allowed (what
/// Channels allows in DEBUG with an empty <c>ALLOWED_HOSTS</c>), and a warning says so once: set <c>AllowedHosts</c> to
/// the site's host names in production.</para>
/// </remarks>
/// <example>
/// <code>
/// ["websocket"] = new AllowedHostsOriginValidator(new UrlRouter().Map&lt;ChatConsumer&gt;("ws/chat/{room}/")),
/// </code>
/// </example>
public sealed partial class AllowedHostsOriginValidator : ApplicationMiddleware
{
    /// <summary>The configuration key the allowed hosts come from (ASP.NET Core host filtering's key).</summary>
    public const string ConfigurationKey = "AllowedHosts";

    private static readonly string[] s_localHosts = ["localhost", "127.0.0.1", "[::1]"];

    private readonly bool _requireOrigin;
    private volatile Snapshot? _current;
    private int _warnedUnset;

    /// <summary>Wraps <paramref name="inner"/> so that only handshakes from the site's own hosts reach it.</summary>
    /// <param name="inner">The application to guard, usually the WebSocket <c>UrlRouter</c>.</param>
    /// <param name="requireOrigin">Whether to refuse handshakes without an <c>Origin</c> header unless <c>AllowedHosts</c>
    /// is <c>*</c> (Channels' behaviour). Default <see langword="false"/>: non-browser clients are accepted.</param>
    public AllowedHostsOriginValidator(IApplication inner, bool requireOrigin = false)
        : base(inner)
    {
        _requireOrigin = requireOrigin;
    }

    /// <summary>Checks the handshake's <c>Origin</c> against <c>AllowedHosts</c> when the connection opens, then runs the
    /// wrapped application or refuses the handshake with HTTP 403 (logged).</summary>
    /// <param name="scope">The connection's scope; it must be a <c>websocket</c> scope.</param>
    /// <param name="receive">Waits for the next event.</param>
    /// <param name="send">Sends an event to the server.</param>
    /// <returns>A task that completes when the connection is served or refused.</returns>
    /// <exception cref="InvalidOperationException">The scope is not a WebSocket scope.</exception>
    /// <exception cref="ArgumentException"><c>AllowedHosts</c> holds a malformed host.</exception>
    public override Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var setting = scope.Services.GetService<IConfiguration>()?[ConfigurationKey] ?? "";
        var current = _current;
        if (current is null || !string.Equals(current.Setting, setting, StringComparison.Ordinal))
        {
            current = _current = new Snapshot(setting, new OriginValidator(Inner, PatternsOf(setting, scope), _requireOrigin));
        }

        return current.Validator.InvokeAsync(scope, receive, send);
    }

    /// <summary>Turns the <c>AllowedHosts</c> entries into origin patterns: host filtering's <c>*.example.com</c> becomes
    /// Channels' <c>.example.com</c>.</summary>
    private string[] PatternsOf(string setting, ConnectionScope scope)
    {
        var hosts = setting.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (hosts.Length == 0)
        {
            if (Interlocked.Exchange(ref _warnedUnset, 1) == 0)
            {
                var logger = scope.Services.GetService<ILoggerFactory>()?.CreateLogger(SwitchboardDiagnostics.SecurityLogCategory)
                    ?? NullLogger.Instance;
                Log.AllowedHostsUnset(logger, string.Join(", ", s_localHosts));
            }

            return s_localHosts;
        }

        return [.. hosts.Select(host => host.StartsWith("*.", StringComparison.Ordinal) ? host[1..] : host)];
    }

    private sealed record Snapshot(string Setting, OriginValidator Validator);
}
