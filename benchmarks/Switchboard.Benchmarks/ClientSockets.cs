using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>Opens and closes the load generator's WebSocket connections.</summary>
internal static class ClientSockets
{
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(5);

    /// <summary><c>ws://host:port/path</c> for an <c>http://host:port/</c> base.</summary>
    public static Uri WebSocketUri(Uri baseUri, string path) =>
        new UriBuilder(baseUri) { Scheme = "ws", Path = path }.Uri;

    /// <summary>Opens <paramref name="count"/> connections to <paramref name="uri"/> concurrently.</summary>
    /// <exception cref="WebSocketException">A connection failed (the others are closed).</exception>
    public static async Task<ClientWebSocket[]> ConnectAsync(Uri uri, int count, CancellationToken cancellationToken)
    {
        var sockets = new ClientWebSocket[count];
        for (var i = 0; i < count; i++)
        {
            sockets[i] = new ClientWebSocket();

            // No keep-alive pings: only the workload's frames on the wire.
            sockets[i].Options.KeepAliveInterval = TimeSpan.Zero;
        }

        try
        {
            await Task.WhenAll(sockets.Select(s => s.ConnectAsync(uri, cancellationToken)));
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

    private static async Task CloseOneAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        }
        catch (Exception ex) when (CeilingServer.IsDisconnect(ex))
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
}
