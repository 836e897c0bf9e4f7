using System.Text;
using System.Text.Json;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>
/// Sends random and mutated frames (<see cref="FrameInputs"/>) on a raw TCP socket after a real handshake to
/// <c>/ws/chat/{room}/</c>, and checks the server's answer against <see cref="FrameModel"/>: the close code, or, when
/// the connection must stay open, every pong and broadcast in order, a probe message through the room, and a clean close.
/// </summary>
internal static class FrameFuzzer
{
    public const string Class = "frames";

    public static async Task RunOneAsync(FuzzContext context, int index, Random random, string inputClass = Class, FrameInput? input = null)
    {
        input ??= FrameInputs.Next(random, context.Target.MaxMessageSize);
        var frames = input.Frames.ToList();
        var (count, expected) = FrameModel.Evaluate(frames, context.Target.MaxMessageSize);
        if (count < 0)
        {
            frames.Add(new ClientFrame(ClientFrame.Continuation, []) { MaskKey = 0x01020304 });
            (count, expected) = FrameModel.Evaluate(frames, context.Target.MaxMessageSize);
        }

        input = input with { Frames = [.. frames.Take(count), .. expected.Finisher is { } finisher ? [finisher] : Array.Empty<ClientFrame>()] };
        var room = random.Next(2) == 0 ? CalmRoom.Room : "fuzz";
        string outcome;
        try
        {
            outcome = await ExchangeAsync(context, input, expected, room).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            outcome = $"error {e.GetType().Name}: {e.Message}";
        }

        var wanted = expected.StaysOpen ? "open" : $"close {string.Join("|", expected.CloseCodes)}";
        if (!outcome.StartsWith(wanted, StringComparison.Ordinal) || outcome.Contains(" but ", StringComparison.Ordinal))
        {
            context.Fail(inputClass, index, input.ToString(), $"expected {wanted} ({expected.Rule}), got {outcome}");
        }

        // A client's own close code comes back as it is; those are tallied together, so that a 1011 in the report is the server's.
        var tally = outcome.Split(" but ")[0];
        context.Count(inputClass, expected.Rule.StartsWith("client close", StringComparison.Ordinal) && tally == wanted ? "close (the client's code echoed)" : tally, input.ToString());
    }

    private static async Task<string> ExchangeAsync(FuzzContext context, FrameInput input, Expectation expected, string room)
    {
        await using var socket = await FuzzSocket.ConnectAsync(context.Target.HttpBase).ConfigureAwait(false);
        await socket.WriteAsync(WebSocketRequest.Valid($"/ws/chat/{room}/", context.Target.Authority).Encode()).ConfigureAwait(false);
        var (status, head) = await socket.ReadHeadAsync().ConfigureAwait(false);
        if (status != 101)
        {
            return $"handshake {status} but 101 expected: {head}";
        }

        return await ExchangeAsync(context, socket, input, expected).ConfigureAwait(false);
    }

    /// <summary>Sends the input on an open connection and tells what the server did.</summary>
    public static async Task<string> ExchangeAsync(FuzzContext context, FuzzSocket socket, FrameInput input, Expectation expected)
    {
        // Reading starts before writing: a server that closes while the client still writes resets the connection,
        // and a close frame already received but not yet read would be lost with it.
        var probe = context.NextProbe();
        var reading = ReadUntilAsync(socket, probe);
        var bytes = input.Frames.SelectMany(f => f.Encode()).ToArray();
        try
        {
            await socket.WriteAsync(bytes, input.Pieces).ConfigureAwait(false);
            if (expected.StaysOpen)
            {
                await socket.WriteAsync(new ClientFrame(ClientFrame.Text, Encoding.UTF8.GetBytes($"{{\"message\":\"{probe}\"}}")) { MaskKey = 0x11223344 }.Encode()).ConfigureAwait(false);
            }
        }
        catch (IOException) when (!expected.StaysOpen)
        {
            // The server closed while the rest of the input was on its way; its close frame tells what happened.
        }

        var (frames, dropped) = await reading.ConfigureAwait(false);
        var last = frames.Count > 0 ? frames[^1] : null;
        if (last?.Opcode == ClientFrame.Close)
        {
            return $"close {last.CloseCode}";
        }

        if (dropped)
        {
            return "dropped without a close frame";
        }

        if (!expected.StaysOpen)
        {
            return "no close frame within 20 s";
        }

        if (Check(frames, expected, probe) is { } problem)
        {
            return "open but " + problem;
        }

        // A clean close: the server answers 1000 with 1000.
        await socket.WriteAsync(new ClientFrame(ClientFrame.Close, [0x03, 0xE8]) { MaskKey = 0x55667788 }.Encode()).ConfigureAwait(false);
        var close = await ReadCloseAsync(socket).ConfigureAwait(false);
        return close == "close 1000" ? "open" : $"open but the close was answered with {close}";
    }

    /// <summary>Reads frames until a close frame, the end of the connection, the probe's broadcast, or 20 s.</summary>
    private static async Task<(List<ServerFrame> Frames, bool Dropped)> ReadUntilAsync(FuzzSocket socket, string probe)
    {
        var frames = new List<ServerFrame>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && frames.Count < 100_000)
        {
            var frame = await socket.ReadFrameAsync().ConfigureAwait(false);
            if (frame is null)
            {
                return (frames, true);
            }

            // The well-behaved clients chat in the room too: their messages are not this input's.
            if (frame.Opcode == ClientFrame.Text && ChatMessageOf(frame.Payload) is { } message && message.StartsWith("calm:", StringComparison.Ordinal))
            {
                continue;
            }

            frames.Add(frame);
            if (frame.Opcode == ClientFrame.Close || (frame.Opcode == ClientFrame.Text && ChatMessageOf(frame.Payload) == probe))
            {
                return (frames, false);
            }
        }

        return (frames, false);
    }

    /// <summary>Every pong and broadcast the input asked for, in order, then the probe; null when all is as expected.</summary>
    private static string? Check(List<ServerFrame> frames, Expectation expected, string probe)
    {
        var pongs = 0;
        var broadcasts = 0;
        foreach (var frame in frames)
        {
            switch (frame.Opcode)
            {
                case ClientFrame.Pong:
                    if (pongs >= expected.Pongs.Count || !frame.Payload.AsSpan().SequenceEqual(expected.Pongs[pongs]))
                    {
                        return $"pong {pongs} was {Convert.ToHexString(frame.Payload)}";
                    }

                    pongs++;
                    break;
                case ClientFrame.Text:
                    var message = ChatMessageOf(frame.Payload);
                    if (message == probe)
                    {
                        return pongs != expected.Pongs.Count || broadcasts != expected.Broadcasts.Count
                            ? $"{pongs} of {expected.Pongs.Count} pongs and {broadcasts} of {expected.Broadcasts.Count} broadcasts arrived before the probe"
                            : null;
                    }

                    if (broadcasts >= expected.Broadcasts.Count || message != expected.Broadcasts[broadcasts])
                    {
                        return $"broadcast {broadcasts} was {Quote(message ?? "(null)")}, expected {(broadcasts < expected.Broadcasts.Count ? Quote(expected.Broadcasts[broadcasts]) : "none")}";
                    }

                    broadcasts++;
                    break;
                case ClientFrame.Binary:
                    return "a binary frame arrived";
                default:
                    // A keep-alive ping from the server.
                    break;
            }
        }

        return "the probe did not come back within 20 s";
    }

    public static async Task<string> ReadCloseAsync(FuzzSocket socket)
    {
        for (var i = 0; i < 10_000; i++)
        {
            var frame = await socket.ReadFrameAsync().ConfigureAwait(false);
            if (frame is null)
            {
                return "dropped without a close frame";
            }

            if (frame.Opcode == ClientFrame.Close)
            {
                return $"close {frame.CloseCode}";
            }
        }

        return "no close frame after 10,000 frames";
    }

    private static string? ChatMessageOf(byte[] payload)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            return json.RootElement.GetProperty("message").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "(not a chat frame) " + Encoding.UTF8.GetString(payload);
        }
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text.Length > 80 ? text[..80] + "..." : text);
}
