namespace Switchboard.AspNetCore;

/// <summary>
/// Options of Switchboard's interface server on Kestrel (daphne's command-line options). Read once, when
/// <c>MapSwitchboard()</c> runs; configure them with <c>AddSwitchboard(...).ConfigureServer(...)</c> or
/// <c>services.Configure&lt;SwitchboardServerOptions&gt;(...)</c>. Every property binds from configuration
/// (time spans as <c>00:00:05</c>, the policy by name).
/// </summary>
public sealed class SwitchboardServerOptions
{
    /// <summary>The default of <see cref="AcceptTimeout"/>: 5 seconds (daphne's <c>--websocket_connect_timeout</c>).</summary>
    public static readonly TimeSpan DefaultAcceptTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default of <see cref="ApplicationCloseTimeout"/>: 10 seconds (daphne's <c>--application-close-timeout</c>).</summary>
    public static readonly TimeSpan DefaultApplicationCloseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default of <see cref="CloseHandshakeTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultCloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default of <see cref="KeepAliveInterval"/>: 20 seconds (daphne's <c>--ping-interval</c>).</summary>
    public static readonly TimeSpan DefaultKeepAliveInterval = TimeSpan.FromSeconds(20);

    /// <summary>The default of <see cref="KeepAliveTimeout"/>: 30 seconds (daphne's <c>--ping-timeout</c>).</summary>
    public static readonly TimeSpan DefaultKeepAliveTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default of <see cref="MaxIncomingMessageSize"/>: 1 MiB.</summary>
    public const int DefaultMaxIncomingMessageSize = 1024 * 1024;

    /// <summary>The default of <see cref="OutboundQueueCapacity"/>: 1,000 messages.</summary>
    public const int DefaultOutboundQueueCapacity = 1000;

    /// <summary>The default of <see cref="OutboundQueueMaxBytes"/>: 4 MiB.</summary>
    public const long DefaultOutboundQueueMaxBytes = 4L * 1024 * 1024;

    /// <summary>
    /// Gets or sets how long the WebSocket handshake waits for the application to send <c>websocket.accept</c> or
    /// <c>websocket.close</c>. When it runs out the handshake is refused with HTTP 503 (a warning is logged) and the
    /// application receives <c>websocket.disconnect</c> with code 1006. Default 5 seconds.
    /// </summary>
    public TimeSpan AcceptTimeout { get; set; } = DefaultAcceptTimeout;

    /// <summary>
    /// Gets or sets how long an application instance may keep running once its connection is over (the
    /// <c>websocket.disconnect</c> or <c>http.disconnect</c> event is available). After that a warning is logged and the
    /// request completes without waiting for the instance, which cannot be killed; its services scope is then disposed.
    /// Default 10 seconds.
    /// </summary>
    public TimeSpan ApplicationCloseTimeout { get; set; } = DefaultApplicationCloseTimeout;

    /// <summary>
    /// Gets or sets how long the server waits, once a WebSocket close has begun (from either side), for the close
    /// frames to be exchanged before it aborts the TCP connection. It also bounds how long a close frame may wait
    /// behind a client that stopped reading. Default 5 seconds.
    /// </summary>
    public TimeSpan CloseHandshakeTimeout { get; set; } = DefaultCloseHandshakeTimeout;

    /// <summary>
    /// Gets or sets how often the server pings an idle WebSocket client. <see cref="TimeSpan.Zero"/> turns pings off.
    /// Default 20 seconds.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = DefaultKeepAliveInterval;

    /// <summary>
    /// Gets or sets how long the server waits for the pong that answers a ping before it drops the connection (the
    /// application then receives <c>websocket.disconnect</c> with code 1006). <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>
    /// keeps the pings but never times out. Default 30 seconds.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = DefaultKeepAliveTimeout;

    /// <summary>
    /// Gets or sets the largest incoming WebSocket message, in bytes, after its fragments are assembled. A larger
    /// message closes the connection with 1009 (message too big). Default 1 MiB.
    /// </summary>
    public int MaxIncomingMessageSize { get; set; } = DefaultMaxIncomingMessageSize;

    /// <summary>The default of <see cref="IncomingMessageBurst"/>: 100 messages.</summary>
    public const int DefaultIncomingMessageBurst = 100;

    /// <summary>
    /// Gets or sets how many messages a second each WebSocket client may send, on average (a token bucket per
    /// connection, checked as the application takes each message). A client that sends faster than this, beyond
    /// <see cref="IncomingMessageBurst"/>, is closed with 1008 (policy violation) and a warning is logged; its
    /// application receives <c>websocket.disconnect</c> with 1008 instead of the message. 0 turns the limit off.
    /// Default 0 (off): set it for public endpoints, for example 20 for a chat.
    /// </summary>
    public double IncomingMessageRateLimit { get; set; }

    /// <summary>
    /// Gets or sets how many messages a client may send at once above <see cref="IncomingMessageRateLimit"/> (the
    /// bucket's size; a new connection starts with it full). Ignored while the rate limit is off. Default 100.
    /// </summary>
    public int IncomingMessageBurst { get; set; } = DefaultIncomingMessageBurst;

    /// <summary>
    /// Gets or sets how many outgoing messages may wait per WebSocket while the client is slower than the application.
    /// Beyond it <see cref="OverflowPolicy"/> applies. Default 1,000.
    /// </summary>
    public int OutboundQueueCapacity { get; set; } = DefaultOutboundQueueCapacity;

    /// <summary>
    /// Gets or sets how many bytes of outgoing payload may wait per WebSocket; beyond it <see cref="OverflowPolicy"/>
    /// applies. A single message larger than this still goes out when nothing else waits. Default 4 MiB.
    /// </summary>
    public long OutboundQueueMaxBytes { get; set; } = DefaultOutboundQueueMaxBytes;

    /// <summary>Gets or sets what happens when the outbound queue is full. Default <see cref="WebSocketOverflowPolicy.CloseConnection"/>.</summary>
    public WebSocketOverflowPolicy OverflowPolicy { get; set; } = WebSocketOverflowPolicy.CloseConnection;
}
