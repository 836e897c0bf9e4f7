using System.Buffers.Binary;
using System.Text;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>
/// Random and mutated frame sequences for <c>/ws/chat/{room}/</c>: valid chat messages (whole, fragmented, with control
/// frames between the fragments), random JSON, and every header field broken in turn (opcodes including the reserved
/// ones, RSV bits, a missing mask, fragmentation errors, length forms including 64-bit and oversized ones, invalid UTF-8
/// in text and close reasons, invalid close codes). <see cref="FrameModel"/> decides what each must get.
/// </summary>
internal static class FrameInputs
{
    private static readonly string[] s_families =
    [
        "chat", "chat-fragmented", "json", "json-fragmented", "invalid-utf8", "invalid-utf8-fragmented", "binary", "reserved-opcode",
        "rsv-bits", "unmasked", "bad-continuation", "data-inside-fragmented", "control-fragmented", "control-too-long",
        "ping-pong", "close", "close-invalid", "length-forms", "length-64-high-bit", "oversized-declared", "oversized-fragments",
        "random-header", "sequence",
    ];

    public static IReadOnlyList<string> Families => s_families;

    public static FrameInput Next(Random random, int maxMessageSize)
    {
        var family = s_families[random.Next(s_families.Length)];
        var frames = Frames(family, random, maxMessageSize);
        return new FrameInput(family, frames, Pieces(random, frames));
    }

    private static List<ClientFrame> Frames(string family, Random random, int max)
    {
        switch (family)
        {
            case "chat":
                return [Data(random, ClientFrame.Text, Chat(random))];
            case "chat-fragmented":
                return Fragment(random, ClientFrame.Text, Chat(random), withControls: true);
            case "json":
                return [Data(random, ClientFrame.Text, Encoding.UTF8.GetBytes(JsonInputs.Text(random)))];
            case "json-fragmented":
                return Fragment(random, ClientFrame.Text, Encoding.UTF8.GetBytes(JsonInputs.Text(random)), withControls: random.Next(2) == 0);
            case "invalid-utf8":
                return [Data(random, ClientFrame.Text, FuzzText.InvalidUtf8(random))];
            case "invalid-utf8-fragmented":
                return Fragment(random, ClientFrame.Text, FuzzText.InvalidUtf8(random), withControls: random.Next(2) == 0);
            case "binary":
                return random.Next(2) == 0 ? [Data(random, ClientFrame.Binary, FuzzText.Bytes(random, 64))] : Fragment(random, ClientFrame.Binary, FuzzText.Bytes(random, 64), withControls: true);
            case "reserved-opcode":
                return [Data(random, (byte)(random.Next(2) == 0 ? random.Next(3, 8) : random.Next(0xB, 0x10)), FuzzText.Bytes(random, 20)) with { Fin = random.Next(4) != 0 }];
            case "rsv-bits":
                return [Data(random, RandomOpcode(random), Chat(random)) with { Reserved = random.Next(1, 8) }];
            case "unmasked":
                return [.. Prefix(random), Data(random, RandomOpcode(random), Chat(random)) with { Masked = false }];
            case "bad-continuation":
                return [.. Prefix(random), Data(random, ClientFrame.Continuation, Chat(random)) with { Fin = random.Next(2) == 0 }];
            case "data-inside-fragmented":
            {
                var first = Data(random, ClientFrame.Text, Encoding.UTF8.GetBytes("{\"message\":")) with { Fin = false };
                return [first, Data(random, random.Next(2) == 0 ? ClientFrame.Text : ClientFrame.Binary, Chat(random))];
            }

            case "control-fragmented":
                return [Data(random, Control(random), FuzzText.Bytes(random, 10)) with { Fin = false }];
            case "control-too-long":
                return [Data(random, Control(random), FuzzText.Bytes(random, 300) is { Length: > 125 } long_ ? long_ : new byte[126])];
            case "ping-pong":
                return [.. Enumerable.Range(0, random.Next(1, 5)).Select(_ => Data(random, random.Next(3) == 0 ? ClientFrame.Pong : ClientFrame.Ping, FuzzText.Bytes(random, 125)))];
            case "close":
                return [.. Prefix(random), Data(random, ClientFrame.Close, ClosePayload(random, valid: true))];
            case "close-invalid":
                return [Data(random, ClientFrame.Close, ClosePayload(random, valid: false))];
            case "length-forms":
                return [Data(random, ClientFrame.Text, Chat(random)) with { Length = random.Next(2) == 0 ? LengthEncoding.Extended16 : LengthEncoding.Extended64 }];
            case "length-64-high-bit":
                return [Data(random, RandomOpcode(random), Chat(random)) with { Length = LengthEncoding.Extended64HighBit }];
            case "oversized-declared":
            {
                // A 64-bit length past the limit: the server reads max + 1 bytes, then closes with 1009 (or 1007 first
                // when those bytes are text that is not UTF-8); the rest never comes.
                var declared = random.Next(3) switch { 0 => (long)max + 1, 1 => 1L << random.Next(21, 62), _ => long.MaxValue };
                var payload = new byte[max + 1];
                payload.AsSpan().Fill((byte)'a');
                if (random.Next(3) == 0)
                {
                    payload[random.Next(payload.Length)] = 0xFF;
                }

                return [Data(random, random.Next(2) == 0 ? ClientFrame.Text : ClientFrame.Binary, payload) with { DeclaredLength = declared, Length = LengthEncoding.Extended64 }];
            }

            case "oversized-fragments":
            {
                var piece = new byte[(max / 4) + 1];
                piece.AsSpan().Fill((byte)' ');
                var frames = new List<ClientFrame>();
                for (var i = 0; i < 5; i++)
                {
                    frames.Add(Data(random, i == 0 ? ClientFrame.Text : ClientFrame.Continuation, piece) with { Fin = false });
                }

                return frames;
            }

            case "random-header":
                return [RandomHeader(random)];
            default:
                return [.. Enumerable.Range(0, random.Next(2, 5)).SelectMany(_ => Frames(s_families[random.Next(s_families.Length - 1)], random, max))];
        }
    }

    /// <summary>A valid frame or two before the broken one, so that errors also come mid-connection.</summary>
    private static List<ClientFrame> Prefix(Random random) => random.Next(3) switch
    {
        0 => [Data(random, ClientFrame.Text, Chat(random))],
        1 => [Data(random, ClientFrame.Ping, FuzzText.Bytes(random, 8))],
        _ => [],
    };

    private static ClientFrame RandomHeader(Random random)
    {
        // Every header bit random, then a payload that fits the frame: the model decides what it means.
        var opcode = (byte)random.Next(16);
        var payload = FuzzText.Bytes(random, opcode >= 8 ? 140 : 200);
        if (opcode == ClientFrame.Close && payload.Length >= 2 && random.Next(2) == 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)random.Next(999, 5001));
        }

        return new ClientFrame(opcode, payload)
        {
            Fin = random.Next(4) != 0,
            Reserved = random.Next(3) == 0 ? random.Next(8) : 0,
            Masked = random.Next(8) != 0,
            MaskKey = (uint)random.NextInt64(uint.MaxValue + 1L),
            Length = (LengthEncoding)random.Next(4),
        };
    }

    private static byte[] ClosePayload(Random random, bool valid)
    {
        if (valid && random.Next(5) == 0)
        {
            return [];
        }

        int code;
        if (valid)
        {
            int[] codes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, random.Next(3000, 5000)];
            code = codes[random.Next(codes.Length)];
        }
        else
        {
            int[] codes = [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535, random.Next(0, 1000)];
            code = codes[random.Next(codes.Length)];
            if (random.Next(4) == 0)
            {
                return [(byte)random.Next(256)];
            }
        }

        var reason = valid || random.Next(2) == 0
            ? Encoding.UTF8.GetBytes(new string([.. FuzzText.String(random, 30).Take(30)]))
            : FuzzText.InvalidUtf8(random);
        if (!valid && random.Next(2) == 0)
        {
            // A valid code with a reason that is not UTF-8.
            code = 1000;
            reason = FuzzText.InvalidUtf8(random);
        }

        var payload = new byte[2 + Math.Min(reason.Length, 123)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        reason.AsSpan(0, payload.Length - 2).CopyTo(payload.AsSpan(2));
        return payload;
    }

    /// <summary>Splits a message into 1 to 6 fragments at random byte offsets (also inside a UTF-8 sequence), with pings and pongs between them.</summary>
    private static List<ClientFrame> Fragment(Random random, byte opcode, byte[] payload, bool withControls)
    {
        var cuts = Enumerable.Range(0, random.Next(0, 6)).Select(_ => random.Next(payload.Length + 1)).Order().ToList();
        var frames = new List<ClientFrame>();
        var start = 0;
        foreach (var cut in cuts.Append(payload.Length))
        {
            var last = frames.Count == cuts.Count;
            frames.Add(Data(random, frames.Count == 0 ? opcode : ClientFrame.Continuation, payload[start..cut]) with { Fin = last });
            start = cut;
            if (!last && withControls && random.Next(2) == 0)
            {
                frames.Add(Data(random, random.Next(3) == 0 ? ClientFrame.Pong : ClientFrame.Ping, FuzzText.Bytes(random, 16)));
            }
        }

        return frames;
    }

    private static byte[] Chat(Random random) => Encoding.UTF8.GetBytes("{\"message\": " + JsonInputs.Quote(FuzzText.String(random)) + "}");

    private static ClientFrame Data(Random random, byte opcode, byte[] payload) =>
        new(opcode, payload) { MaskKey = random.Next(5) == 0 ? 0 : (uint)random.NextInt64(uint.MaxValue + 1L) };

    private static byte RandomOpcode(Random random) => random.Next(3) switch { 0 => ClientFrame.Text, 1 => ClientFrame.Binary, _ => ClientFrame.Ping };

    private static byte Control(Random random) => (byte)(ClientFrame.Close + random.Next(3));

    /// <summary>Write sizes: mostly one write, sometimes byte by byte or in random pieces (headers split anywhere).</summary>
    private static List<int> Pieces(Random random, List<ClientFrame> frames)
    {
        var total = frames.Sum(f => f.Payload.Length + 14);
        if (total > 64 * 1024)
        {
            return [];
        }

        return random.Next(4) switch
        {
            0 => [.. Enumerable.Repeat(1, Math.Min(total, 64))],
            1 => [.. Enumerable.Range(0, random.Next(1, 8)).Select(_ => random.Next(1, 20))],
            _ => [],
        };
    }
}
