using System.Net.WebSockets;
using System.Text;

namespace Switchboard.Reliability.Soak;

/// <summary>
/// Checks through the channel layer that no group kept a departed member: one probe client per room says one thing,
/// and the layer's per-member delivery counter (<c>switchboard.layer.messages.sent</c>: a group send counts once per
/// member) must grow by exactly the members still connected, the probe included.
/// </summary>
internal static class MembershipProbe
{
    /// <summary>The instrument counting layer deliveries; the first name found is used (the diagnostics contract may rename it).</summary>
    public static readonly string[] DeliveryCounters = ["switchboard.layer.messages.sent", "switchboard.layer.message.sent", "switchboard.layer.messages_sent"];

    public static async Task<(double Delivered, int Expected, string Instrument)> RunAsync(
        Uri webSocketBase, IReadOnlyDictionary<string, int> residents, RuntimeCounters counters)
    {
        await counters.SettleAsync().ConfigureAwait(false);
        var instrument = DeliveryCounters.FirstOrDefault(name => counters.Total(name) > 0) ?? DeliveryCounters[0];
        var before = counters.Total(instrument);
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
        return (counters.Total(instrument) - before, expected, instrument);
    }
}
