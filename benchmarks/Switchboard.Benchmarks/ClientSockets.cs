using System.Net.Sockets;
using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>Opens and closes the load generator's WebSocket connections.</summary>
internal static class ClientSockets
{
    /// <summary>The kernel receive buffer asked for a stalled reader's socket, so its backlog stays in the server.</summary>
    public const int SmallReceiveBuffer = 16 * 1024;

    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(5);

    /// <summary><c>ws://host:port/path</c> for an <c>http://host:port/</c> base (<paramref name="path"/> may carry a query).</summary>
    public static Uri WebSocketUri(Uri baseUri, string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var builder = new UriBuilder(baseUri) { Scheme = "ws", Path = query < 0 ? path : path[..query] };
        if (query >= 0)
        {
            builder.Query = path[(query + 1)..];
        }

        return builder.Uri;
    }

    /// <summary>
    /// Opens <paramref name="count"/> connections to <paramref name="uri"/>, at most <paramref name="concurrency"/> at a
    /// time, each with the protocol's handshake done.
    /// </summary>
    /// <exception cref="WebSocketException">A connection failed (the others are closed).</exception>
    public static async Task<ClientWebSocket[]> ConnectAsync(
        Uri uri, int count, WireProtocol protocol, CancellationToken cancellationToken, int concurrency = 128, int? receiveBuffer = null)
    {
        var sockets = new ClientWebSocket[count];
        for (var i = 0; i < count; i++)
        {
            sockets[i] = new ClientWebSocket();

            // No keep-alive pings: only the workload's frames on the wire.
            sockets[i].Options.KeepAliveInterval = TimeSpan.Zero;
        }

        // Not disposed here: the upgraded connections outlive the call (a stalled reader is one socket per run).
        var invoker = receiveBuffer is { } size ? SmallBufferInvoker(size) : null;
        try
        {
            await Parallel.ForEachAsync(
                sockets,
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                async (socket, ct) =>
                {
                    await (invoker is null ? socket.ConnectAsync(uri, ct) : socket.ConnectAsync(uri, invoker, ct));
                    await protocol.HandshakeAsync(socket, ct);
                });
            return sockets;
        }
        catch
        {
            Abort(sockets);
            throw;
        }
    }

    /// <summary>Closes the connections that are still open (bounded to 5 s), then disposes all.</summary>
    public static async Task CloseAsync(IEnumerable<ClientWebSocket> sockets)
    {
        var all = sockets.ToArray();
        using var timeout = new CancellationTokenSource(s_closeTimeout);
        try
        {
            await Task.WhenAll(all.Where(s => s.State == WebSocketState.Open).Select(s => CloseOneAsync(s, timeout.Token)));
        }
        finally
        {
            Abort(all);
        }
    }

    /// <summary>True for the exceptions a dropped or aborted connection raises.</summary>
    public static bool IsDisconnect(Exception exception) => CeilingServer.IsDisconnect(exception);

    private static async Task CloseOneAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        }
        catch (Exception ex) when (IsDisconnect(ex))
        {
            // The server went away or took too long; the socket is aborted below.
        }
    }

    private static void Abort(ClientWebSocket[] sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    /// <summary>An HTTP invoker whose sockets get a small kernel receive buffer (set before connecting, so TCP's window honours it).</summary>
    private static HttpMessageInvoker SmallBufferInvoker(int size) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = size };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });
}
