namespace Switchboard.CommandLine;

/// <summary>
/// Where and how <c>runserver</c> listens (daphne's listening, proxy and logging options). Bound from the configuration
/// section <c>Switchboard:RunServer</c>; the command-line options write into that section, so each can also come from
/// <c>appsettings.json</c> or the environment (<c>Switchboard__RunServer__Port=8001</c>). The WebSocket and HTTP
/// timeouts live in <see cref="Switchboard.AspNetCore.SwitchboardServerOptions"/>, section <c>Switchboard:Server</c>.
/// </summary>
public sealed class RunServerOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Switchboard:RunServer";

    /// <summary>The address listened on when neither a bind address, a port nor a unix socket is given.</summary>
    public const string DefaultBind = "127.0.0.1";

    /// <summary>The port listened on when none is given.</summary>
    public const int DefaultPort = 8000;

    /// <summary>Gets or sets the address to listen on: an IP address (<c>0.0.0.0</c>, <c>::</c>) or <c>localhost</c>
    /// (daphne's <c>-b/--bind</c>). <see langword="null"/>: <see cref="DefaultBind"/>, unless only a unix socket is given.</summary>
    public string? Bind { get; set; }

    /// <summary>Gets or sets the TCP port (daphne's <c>-p/--port</c>); 0 lets the system pick one.
    /// <see langword="null"/>: <see cref="DefaultPort"/>, unless only a unix socket is given.</summary>
    public int? Port { get; set; }

    /// <summary>Gets or sets a unix domain socket path to listen on (daphne's <c>-u/--unix-socket</c>). Alone, it
    /// replaces the TCP default; with <see cref="Bind"/> or <see cref="Port"/>, the server listens on both.</summary>
    public string? UnixSocket { get; set; }

    /// <summary>Gets or sets whether the client address and scheme come from <c>X-Forwarded-For</c>,
    /// <c>X-Forwarded-Proto</c> and the path base from <c>X-Forwarded-Prefix</c> (daphne's <c>--proxy-headers</c>),
    /// when the request comes from one of <see cref="TrustedProxies"/>.</summary>
    public bool ProxyHeaders { get; set; }

    /// <summary>Gets the proxies whose forwarded headers are believed: IP addresses or CIDR networks
    /// (<c>10.0.0.0/8</c>). Empty: the loopback addresses <c>127.0.0.1</c> and <c>::1</c>. Requests over a unix socket
    /// come from the local machine and are always trusted.</summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>Gets or sets the path prefix the application is mounted under (daphne's <c>--root-path</c>), for
    /// example <c>/chat</c>: a request for <c>/chat/ws/echo/</c> reaches the application with path <c>/ws/echo/</c> and
    /// <see cref="ConnectionScope.RootPath"/> <c>/chat</c>.</summary>
    public string? RootPath { get; set; }

    /// <summary>Gets or sets where the access log goes (daphne's <c>--access-log</c>): a file path, or <c>-</c> for
    /// standard output. <see langword="null"/>: no access log.</summary>
    public string? AccessLog { get; set; }
}
