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

    /// <summary>The default of <see cref="MaxConnectionLifetime"/>: 1 day (daphne's <c>--websocket_timeout</c> 86400).</summary>
    public static readonly TimeSpan DefaultMaxConnectionLifetime = TimeSpan.FromDays(1);

    /// <summary>The default of <see cref="MaxIncomingMessageSize"/>: 1 MiB.</summary>
    public const int DefaultMaxIncomingMessageSize = 1024 * 1024;

    /// <summary>
    /// The default of <see cref="OutboundQueueCapacity"/>: <see cref="int.MaxValue"/>, no count limit. Memory is bounded by
    /// <see cref="OutboundQueueMaxBytes"/>, which counts small messages by their real cost.
    /// </summary>
    public const int DefaultOutboundQueueCapacity = int.MaxValue;

    /// <summary>The default of <see cref="OutboundQueueMaxBytes"/>: 4 MiB.</summary>
    public const long DefaultOutboundQueueMaxBytes = 4L * 1024 * 1024;

    /// <summary>
    /// What one queued message costs in <see cref="OutboundQueueMaxBytes"/> on top of its payload: 64 bytes, an estimate of
    /// its queue entry (24 bytes) and of the event object that carries it (40 bytes with its payload's handle), so that
    /// ten thousand empty messages are not free. A 64-byte message therefore counts as 128 bytes, and the default budget
    /// holds 32,768 of them.
    /// </summary>
    public const int OutboundMessageOverhead = 64;

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
    /// Gets or sets how many outgoing messages may wait per WebSocket while the client is slower than the application,
    /// in addition to <see cref="OutboundQueueMaxBytes"/>; beyond it <see cref="OverflowPolicy"/> applies. Default
    /// <see cref="int.MaxValue"/>: no count limit, the byte budget alone bounds the queue, so a burst of small messages to
    /// a client that keeps reading is never cut off by a count.
    /// </summary>
    public int OutboundQueueCapacity { get; set; } = DefaultOutboundQueueCapacity;

    /// <summary>
    /// Gets or sets how many bytes may wait per WebSocket while the client is slower than the application: each queued
    /// message counts as its payload plus <see cref="OutboundMessageOverhead"/>. Beyond it <see cref="OverflowPolicy"/>
    /// applies (by default the connection is closed with 1008). A single message larger than this still goes out when
    /// nothing else waits. Default 4 MiB.
    /// </summary>
    public long OutboundQueueMaxBytes { get; set; } = DefaultOutboundQueueMaxBytes;

    /// <summary>Gets or sets what happens when the outbound queue is full. Default <see cref="WebSocketOverflowPolicy.CloseConnection"/>.</summary>
    public WebSocketOverflowPolicy OverflowPolicy { get; set; } = WebSocketOverflowPolicy.CloseConnection;

    /// <summary>
    /// Gets or sets how long an accepted WebSocket may stay open (daphne's <c>--websocket_timeout</c>). When it runs out
    /// the server closes the socket with 1000 and the reason "Maximum connection lifetime reached"; the application
    /// receives <c>websocket.disconnect</c> as for any close. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> (daphne's -1)
    /// lets sockets live forever. Default 1 day.
    /// </summary>
    public TimeSpan MaxConnectionLifetime { get; set; } = DefaultMaxConnectionLifetime;

    /// <summary>
    /// Gets or sets how long an <c>http</c> request served by the application may wait for <c>http.response.start</c>
    /// (daphne's <c>--http-timeout</c>). When it runs out the server answers 503, logs a warning, ignores the
    /// application's later response events and sends it <c>http.disconnect</c>. A response that has started (a stream,
    /// server-sent events) is never cut. Requests served by other ASP.NET Core endpoints are not affected (use
    /// ASP.NET Core's request timeouts for them). Default <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> (no limit), as in daphne.
    /// </summary>
    public TimeSpan HttpResponseTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Gets or sets whether the server negotiates the WebSocket per-message deflate extension (RFC 7692) when a client
    /// offers it. Off by default: compressing secrets together with data an attacker controls leaks the secrets through
    /// the compressed size (CRIME/BREACH-style compression oracles), so turn it on only for traffic without such a mix.
    /// </summary>
    public bool EnablePerMessageDeflate { get; set; }
}
