using System.Net.WebSockets;
using System.Text;

namespace Switchboard.Reliability.Soak;

/// <summary>
/// Checks through the channel layer that no group kept a departed member: one probe client per room says one thing,
/// and the layer's per-member delivery counter (<c>switchboard.layer.sent.messages</c>: a group send counts once per
/// member) must grow by exactly the members still connected, the probe included.
/// </summary>
internal static class MembershipProbe
{
    /// <summary>The instrument counting layer deliveries (docs/diagnostics.md).</summary>
    public const string DeliveryCounter = "switchboard.layer.sent.messages";

    public static async Task<(double Delivered, int Expected, string Instrument)> RunAsync(
        Uri webSocketBase, IReadOnlyDictionary<string, int> residents, RuntimeCounters counters)
    {
        await counters.SettleAsync().ConfigureAwait(false);
        // The chatters' messages went through the layer: a counter still at 0 is a renamed or missing instrument, and
        // would read as "no member kept" if the probe went on.
        var before = counters.Total(DeliveryCounter);
        if (before == 0)
        {
            throw new InvalidOperationException(
                $"The app reported no '{DeliveryCounter}' although its chatters sent through the layer: check the instrument's name in docs/diagnostics.md.");
        }

        var expected = 0;
        foreach (var (room, members) in residents)
        {
            using var socket = new ClientWebSocket();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await socket.ConnectAsync(new Uri(webSocketBase, $"ws/chat/{room}/"), timeout.Token).ConfigureAwait(false);
            var text = $"probe:{room}";
            await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"message\": \"{text}\"}}"), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);

            // Its own broadcast coming back means the group send is done (the layer counts before it delivers).
            var buffer = new byte[4096];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (Encoding.UTF8.GetString(buffer, 0, result.Count).Contains(text, StringComparison.Ordinal))
                {
                    break;
                }
            }

            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            expected += members + 1;
        }

        await counters.SettleAsync().ConfigureAwait(false);
        return (counters.Total(DeliveryCounter) - before, expected, DeliveryCounter);
    }
}
