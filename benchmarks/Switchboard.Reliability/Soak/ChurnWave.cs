using System.Net.WebSockets;
using System.Text;

namespace Switchboard.Reliability.Soak;

/// <summary>
/// One wave: connections join rooms (a few at a time, up to the wave's size, all open together), some say something,
/// then all leave, most with a close handshake and a quarter by dropping the TCP connection.
/// </summary>
internal static class ChurnWave
{
    public static async Task<(int Opened, int Failed)> RunAsync(Uri webSocketBase, SoakOptions options, int wave, Random random, HttpMessageInvoker invoker)
    {
        var sockets = new ClientWebSocket?[options.ConnectionsPerWave];
        var failed = 0;
        using var gate = new SemaphoreSlim(32);
        var plans = Enumerable.Range(0, sockets.Length)
            .Select(i => (Room: random.Next(10) == 0 ? $"steady-{random.Next(options.ChatterRooms)}" : $"churn-{random.Next(options.Rooms)}", Speaks: random.Next(3) == 0, Drops: random.Next(4) == 0))
            .ToArray();

        await Task.WhenAll(Enumerable.Range(0, sockets.Length).Select(async i =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var socket = new ClientWebSocket();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await socket.ConnectAsync(new Uri(webSocketBase, $"ws/chat/{plans[i].Room}/"), invoker, timeout.Token).ConfigureAwait(false);
                sockets[i] = socket;
                if (plans[i].Speaks)
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"message\": \"churn:{wave}:{i}\"}}"), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        // Everyone is in; broadcasts reach them for a moment, then they leave.
        await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        var opened = sockets.Count(s => s is not null);
        await Task.WhenAll(Enumerable.Range(0, sockets.Length).Where(i => sockets[i] is not null).Select(async i =>
        {
            var socket = sockets[i]!;
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (plans[i].Drops)
                {
                    socket.Abort();
                }
                else
                {
                    // CloseAsync reads (and drops) the broadcasts still on their way until the server's close frame.
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                socket.Dispose();
                gate.Release();
            }
        })).ConfigureAwait(false);

        return (opened, failed);
    }
}
