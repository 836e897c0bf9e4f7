using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>
/// Random WebSocket handshakes on a raw TCP socket: methods, HTTP versions, paths (rooms valid and not, percent-encoded,
/// dot segments), Host, Upgrade, Connection, key, version, Origin, subprotocols and extra headers, each kept, broken or
/// left out. <see cref="HandshakeModel"/> says the status; an accepted one must then carry a chat message and close cleanly.
/// </summary>
internal static class HandshakeFuzzer
{
    public const string Class = "handshake";

    public static async Task RunOneAsync(FuzzContext context, int index, Random random)
    {
        var request = HandshakeInputs.Next(random, context.Target.Authority);
        var (expectedStatus, rule) = HandshakeModel.Evaluate(request, context.Target.Authority);
        string outcome;
        try
        {
            outcome = await ExchangeAsync(context, request).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            outcome = $"error {e.GetType().Name}: {e.Message}";
        }

        var wanted = expectedStatus == 101 ? "101 open" : $"{expectedStatus}";
        if (outcome != wanted)
        {
            context.Fail(Class, index, request.ToString(), $"expected {wanted} ({rule}), got {outcome}");
        }

        context.Count(Class, outcome.Length > 60 ? outcome[..60] : outcome, request.ToString());
    }

    private static async Task<string> ExchangeAsync(FuzzContext context, WebSocketRequest request)
    {
        await using var socket = await FuzzSocket.ConnectAsync(context.Target.HttpBase).ConfigureAwait(false);
        await socket.WriteAsync(request.Encode()).ConfigureAwait(false);
        var (status, head) = await socket.ReadHeadAsync().ConfigureAwait(false);
        if (status != 101)
        {
            return status == 0 ? "closed without a response" : $"{status}";
        }

        if (Header(head, "Sec-WebSocket-Accept") != AcceptFor(request.Headers.First(h => h.Key == "Sec-WebSocket-Key").Value))
        {
            return "101 with a wrong Sec-WebSocket-Accept";
        }

        if (Header(head, "Sec-WebSocket-Protocol") is { } protocol)
        {
            return $"101 with a subprotocol the chat never chooses: {protocol}";
        }

        if (request.Path.StartsWith("/ws/notify/", StringComparison.Ordinal))
        {
            // Listen-only: nothing to echo; a clean close is the check.
            await socket.WriteAsync(new ClientFrame(ClientFrame.Close, [0x03, 0xE8]) { MaskKey = 0x01020304 }.Encode()).ConfigureAwait(false);
            var close = await FrameFuzzer.ReadCloseAsync(socket).ConfigureAwait(false);
            return close == "close 1000" ? "101 open" : $"101 open but the close was answered with {close}";
        }

        var outcome = await FrameFuzzer.ExchangeAsync(context, socket, new FrameInput("handshake", [], []), new Expectation()).ConfigureAwait(false);
        return "101 " + outcome;
    }

    private static string? Header(string head, string name) =>
        head.Split("\r\n").Select(line => line.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).FirstOrDefault();

    private static string AcceptFor(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
}
