using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// One entry of <see cref="RedisChannelLayerOptions.Hosts"/>, parsed the way channels_redis (redis-py's <c>from_url</c>)
/// reads it: <c>redis://[[user]:password@]host[:port][/db]</c>, <c>rediss://</c> for TLS, and
/// <c>unix://[[user]:password@]/path/to/socket[?db=N]</c>; a <c>db</c> or <c>password</c> query parameter works for all three,
/// and <c>ssl_ca_certs=/path/to/ca.pem</c> (redis-py's name) makes a <c>rediss://</c> host trust that certificate authority.
/// </summary>
internal sealed class RedisHost
{
    private const int DefaultPort = 6379;

    private RedisHost(string displayName, EndPoint endPoint, bool useTls, string? sslHost, string? user, string? password, int database, string? caCertificatePath)
    {
        CaCertificatePath = caCertificatePath;
        DisplayName = displayName;
        EndPoint = endPoint;
        UseTls = useTls;
        SslHost = sslHost;
        User = user;
        Password = password;
        Database = database;
    }

    /// <summary>Gets the URL without its password, for logs and error messages.</summary>
    public string DisplayName { get; }

    public EndPoint EndPoint { get; }

    public bool UseTls { get; }

    public string? SslHost { get; }

    public string? User { get; }

    public string? Password { get; }

    public int Database { get; }

    /// <summary>Gets the PEM file of the certificate authority a TLS host's certificate must chain to, instead of the
    /// system's trust store (<c>ssl_ca_certs</c>); <see langword="null"/> for the system's.</summary>
    public string? CaCertificatePath { get; }

    /// <summary>Parses a host URL, or throws naming what is wrong with it and the accepted forms.</summary>
    public static RedisHost Parse(string url)
    {
        if (!TryParse(url, out var host, out var error))
        {
            throw new ArgumentException(error, nameof(url));
        }

        return host;
    }

    /// <summary>Parses a host URL; on failure <paramref name="error"/> says why, naming the accepted forms.</summary>
    public static bool TryParse(string? url, out RedisHost host, out string error)
    {
        host = null!;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(url))
        {
            error = Problem(url, "it is empty");
            return false;
        }

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? string.Empty : url[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("redis" or "rediss" or "unix"))
        {
            error = Problem(url, "it does not start with redis://, rediss:// or unix://");
            return false;
        }

        var rest = url[(schemeEnd + 3)..];
        string? query = null;
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        if (queryStart >= 0)
        {
            query = rest[(queryStart + 1)..];
            rest = rest[..queryStart];
        }

        // The user info ends at the last '@' (a password may contain '@' only when percent-encoded, but be lenient).
        string? user = null;
        string? password = null;
        string? caCertificatePath = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                user = Unescape(userInfo[..colon]);
                password = Unescape(userInfo[(colon + 1)..]);
            }
            else
            {
                // redis-py reads "redis://secret@host" as a user name; with no password that user cannot log in, so
                // treat a lone value as the password, as most Redis URLs mean it.
                password = Unescape(userInfo);
            }

            user = string.IsNullOrEmpty(user) ? null : user;
        }

        var database = 0;
        string? databaseText = null;
        if (query is not null)
        {
            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? pair : pair[..equals];
                var value = equals < 0 ? string.Empty : Unescape(pair[(equals + 1)..]);
                switch (name)
                {
                    case "db":
                        databaseText = value;
                        break;
                    case "password":
                        password = value;
                        break;
                    case "username":
                        user = value;
                        break;
                    case "ssl_ca_certs":
                        caCertificatePath = value;
                        break;
                    default:
                        break; // redis-py's connection keywords (socket_timeout, ...) do not apply here
                }
            }
        }

        EndPoint endPoint;
        string? sslHost = null;
        if (scheme == "unix")
        {
            if (!rest.StartsWith('/'))
            {
                error = Problem(url, "a unix:// URL needs an absolute socket path, as in unix:///var/run/redis/redis.sock");
                return false;
            }

            endPoint = new UnixDomainSocketEndPoint(Unescape(rest));
        }
        else
        {
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var authority = slash < 0 ? rest : rest[..slash];
            var path = slash < 0 ? string.Empty : rest[(slash + 1)..].TrimEnd('/');
            if (path.Length > 0)
            {
                databaseText ??= path;
            }

            if (!TryParseAuthority(authority, out var hostName, out var port))
            {
                error = Problem(url, $"'{authority}' is not host[:port] (an IPv6 address goes in brackets: [::1]:6379)");
                return false;
            }

            endPoint = IPAddress.TryParse(hostName, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(hostName, port);
            sslHost = scheme == "rediss" ? hostName : null;
        }

        if (databaseText is not null && (!int.TryParse(databaseText, NumberStyles.None, CultureInfo.InvariantCulture, out database) || database > 65535))
        {
            error = Problem(url, $"the database '{databaseText}' is not a number from 0 (as in redis://host:6379/0 or ?db=0)");
            return false;
        }

        var display = Redact(url);
        if (caCertificatePath is not null && (scheme != "rediss" || !File.Exists(caCertificatePath)))
        {
            error = Problem(url, scheme != "rediss"
                ? "ssl_ca_certs applies to TLS hosts only (rediss://)"
                : $"the ssl_ca_certs file '{caCertificatePath}' does not exist");
            return false;
        }

        host = new RedisHost(display, endPoint, scheme == "rediss", sslHost, user, password, database, caCertificatePath);
        return true;
    }

    /// <summary>The StackExchange.Redis settings for one connection to this host.</summary>
    /// <param name="timeout">How long connecting and each command may take.</param>
    /// <param name="clientName">The name the connection shows in <c>CLIENT LIST</c>.</param>
    public ConfigurationOptions ToConfiguration(TimeSpan timeout, string clientName)
    {
        var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        var configuration = new ConfigurationOptions
        {
            EndPoints = { EndPoint },
            Ssl = UseTls,
            SslHost = SslHost,
            User = User,
            Password = Password,
            DefaultDatabase = Database,
            ClientName = clientName,

            // Keep retrying in the background when Redis is down at startup; every operation fails within its timeout.
            AbortOnConnectFail = false,
            ConnectTimeout = milliseconds,
            AsyncTimeout = milliseconds,
            SyncTimeout = milliseconds,

            // CLIENT UNBLOCK wakes our own blocking pops (cancellation, shutdown); it is an admin command.
            AllowAdmin = true,

            // Reconnect soon after Redis is back: from 100 ms, doubling up to 2 s between attempts.
            ReconnectRetryPolicy = new ExponentialRetry(100, 2000),
        };
        if (CaCertificatePath is not null)
        {
            // A private CA (a self-signed test server, an internal PKI): the host's certificate must chain to it.
            configuration.TrustIssuer(CaCertificatePath);
        }

        return configuration;
    }

    private static bool TryParseAuthority(string authority, out string host, out int port)
    {
        port = DefaultPort;
        host = authority;
        if (authority.Length == 0)
        {
            return false;
        }

        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (!after.StartsWith(':'))
                {
                    return false;
                }

                portText = after[1..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            if (colon >= 0)
            {
                host = authority[..colon];
                portText = authority[(colon + 1)..];
            }
        }

        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            return false;
        }

        return host.Length > 0;
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text);

    /// <summary>Hides the user info of a URL (<c>redis://:secret@host</c> becomes <c>redis://***@host</c>).</summary>
    public static string Redact(string? url)
    {
        if (url is null)
        {
            return "null";
        }

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.LastIndexOf('@');
        return schemeEnd >= 0 && at > schemeEnd ? string.Concat(url.AsSpan(0, schemeEnd + 3), "***", url.AsSpan(at)) : url;
    }

    private static string Problem(string? url, string why) =>
        $"The Redis host '{Redact(url)}' is not usable: {why}. Use redis://[:password@]host[:port][/db], rediss://... for TLS, or unix:///path/to/redis.sock[?db=N].";
}
