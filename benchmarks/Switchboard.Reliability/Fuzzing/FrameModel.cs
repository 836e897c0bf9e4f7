using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>
/// The oracle for frames sent to <c>/ws/chat/{room}/</c>: RFC 6455 as the interface server enforces it, then the chat
/// consumer's rules, one frame at a time. It returns where the input ends (the first frame that closes the connection:
/// nothing after it is sent, since what the server does with bytes after a close is a race) and what the server must do.
/// </summary>
/// <remarks>
/// The rules, each documented in docs/interface-server.md ("Client protocol errors") and docs/consumers.md: a header the
/// RFC forbids (reserved bits without an extension, an unknown opcode, a continuation with no message, a new message
/// inside a fragmented one, a fragmented or over-125-byte control frame, a negative 64-bit length, an unmasked frame) and
/// a bad close frame (1-byte payload, a code that may not be sent, a reason that is not UTF-8) close with 1002; text that
/// is not UTF-8 within the first <c>MaxIncomingMessageSize + 1</c> bytes with 1007; a message over the limit with 1009;
/// a valid close frame is answered with its code (1000 when it has none); a ping gets its pong. Whole messages go to the
/// consumer: binary closes with 1003, text that is not JSON (System.Text.Json's grammar and its depth limit of 64) or
/// holds an escaped lone surrogate with 1007, <c>{"message": string}</c> is broadcast, anything else is ignored.
/// </remarks>
internal static class FrameModel
{
    /// <returns>How many frames to send (-1: the input ends inside a fragmented message, finish it), and the expectation.</returns>
    public static (int FramesToSend, Expectation Expected) Evaluate(IReadOnlyList<ClientFrame> frames, int maxMessageSize)
    {
        var expected = new Expectation();
        var inMessage = false;
        var messageIsText = false;
        var message = new MemoryStream();
        long messageLength = 0;
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            if (HeaderViolation(frame, inMessage) is { } violation)
            {
                expected.Close(violation, 1002);
                return (i + 1, expected);
            }

            if (frame.WireLength > frame.Payload.Length && frame.IsControl)
            {
                throw new InvalidOperationException("A control frame cut short would leave the server waiting: the generator must not make one.");
            }

            switch (frame.Opcode)
            {
                case ClientFrame.Ping:
                    expected.Pongs.Add(frame.Payload);
                    continue;
                case ClientFrame.Pong:
                    continue;
                case ClientFrame.Close:
                    CloseFrame(frame.Payload, expected);
                    return (i + 1, expected);
            }

            if (frame.Opcode != ClientFrame.Continuation)
            {
                inMessage = true;
                messageIsText = frame.Opcode == ClientFrame.Text;
                message.SetLength(0);
                messageLength = 0;
            }

            // The server reads at most max + 1 bytes of a message: what it sees decides between 1007 and 1009.
            var room = (long)maxMessageSize + 1 - message.Length;
            message.Write(frame.Payload, 0, (int)Math.Min(frame.Payload.Length, Math.Max(0, room)));
            messageLength += frame.WireLength;
            var complete = frame.Fin && frame.WireLength == frame.Payload.Length;
            if (messageIsText && Utf8Verdict(message.GetBuffer().AsSpan(0, (int)message.Length), isFinal: complete && messageLength <= maxMessageSize) is { } verdict)
            {
                if (verdict == Utf8.Invalid)
                {
                    expected.Close("text that is not UTF-8", 1007);
                    return (i + 1, expected);
                }

                if (messageLength > maxMessageSize)
                {
                    // The bad sequence is cut by the limit: whether the server refuses it before counting past the limit
                    // depends on which byte makes it invalid.
                    expected.Close("message over the limit whose last bytes start a bad UTF-8 sequence", 1007, 1009);
                    return (i + 1, expected);
                }

                // The server may still be waiting for the bytes that complete the bad sequence: end it with ASCII, which
                // no sequence accepts, so the verdict (1007) cannot wait.
                expected.Close("text that is not UTF-8 (completed)", 1007);
                expected.Finisher = new ClientFrame(ClientFrame.Continuation, "aaaa"u8.ToArray()) { MaskKey = 0x0A0B0C0D };
                return (i + 1, expected);
            }

            if (messageLength > maxMessageSize)
            {
                if (message.Length <= maxMessageSize)
                {
                    throw new InvalidOperationException("A frame cut short before the size limit would leave the server waiting: the generator must send max + 1 bytes.");
                }

                expected.Close("message larger than MaxIncomingMessageSize", 1009);
                return (i + 1, expected);
            }

            if (frame.WireLength > frame.Payload.Length)
            {
                throw new InvalidOperationException("A data frame cut short within the size limit would leave the server waiting.");
            }

            if (!frame.Fin)
            {
                continue;
            }

            inMessage = false;
            if (!messageIsText)
            {
                expected.Close("binary message to a JSON consumer", 1003);
                return (i + 1, expected);
            }

            if (ChatRule(message.ToArray(), out var broadcast) is { } refusal)
            {
                expected.Close(refusal, 1007);
                return (i + 1, expected);
            }

            if (broadcast is not null)
            {
                expected.Broadcasts.Add(broadcast);
            }
        }

        if (inMessage)
        {
            // Unfinished: the server would wait for the rest of the message. The caller finishes it and asks again.
            return (-1, expected);
        }

        return (frames.Count, expected);
    }

    /// <summary>The chat consumer's rule for one whole text message: a refusal (1007), or the message to broadcast, or neither (ignored).</summary>
    public static string? ChatRule(byte[] utf8, out string? broadcast)
    {
        broadcast = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException)
        {
            return "text that is not JSON";
        }

        using (document)
        {
            if (HasLoneSurrogate(document.RootElement))
            {
                return "a JSON string escape that decodes to a lone surrogate";
            }

            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var value)
                && value.ValueKind == JsonValueKind.String)
            {
                broadcast = value.GetString();
            }
        }

        return null;
    }

    private static string? HeaderViolation(ClientFrame frame, bool inMessage)
    {
        if (frame.Reserved != 0)
        {
            return "reserved bits set, no extension negotiated";
        }

        if (frame.Length == LengthEncoding.Extended64HighBit)
        {
            return "64-bit length with the most significant bit set";
        }

        if (!frame.Masked)
        {
            return "unmasked client frame";
        }

        return frame.Opcode switch
        {
            ClientFrame.Continuation when !inMessage => "continuation without a message to continue",
            ClientFrame.Text or ClientFrame.Binary when inMessage => "new data message inside a fragmented one",
            ClientFrame.Close or ClientFrame.Ping or ClientFrame.Pong when !frame.Fin => "fragmented control frame",
            ClientFrame.Close or ClientFrame.Ping or ClientFrame.Pong when frame.WireLength > 125 => "control frame over 125 bytes",
            ClientFrame.Continuation or ClientFrame.Text or ClientFrame.Binary or ClientFrame.Close or ClientFrame.Ping or ClientFrame.Pong => null,
            _ => $"reserved opcode {frame.Opcode:X}",
        };
    }

    private static void CloseFrame(byte[] payload, Expectation expected)
    {
        if (payload.Length == 0)
        {
            expected.Close("close frame without a code: answered with 1000", 1000);
            return;
        }

        if (payload.Length == 1)
        {
            expected.Close("close frame with a 1-byte payload", 1002);
            return;
        }

        var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (!IsValidReceivedCloseCode(code))
        {
            expected.Close($"close code {code} that may not be sent", 1002);
            return;
        }

        if (!IsValidUtf8(payload.AsSpan(2)))
        {
            expected.Close("close reason that is not UTF-8", 1002);
            return;
        }

        expected.Close($"client close {code}: answered with the same code", code);
    }

    /// <summary>The codes a peer may send (RFC 6455 §7.4 and the IANA registry): 1000-1003, 1007-1014, 3000-4999.</summary>
    public static bool IsValidReceivedCloseCode(int code) => code is >= 1000 and <= 1003 or >= 1007 and <= 1014 or >= 3000 and <= 4999;

    private enum Utf8
    {
        Invalid,

        /// <summary>Invalid, but the bad sequence is one of the last 3 bytes, where a validator reading byte by byte
        /// (as .NET's WebSocket does across fragments) may not have decided yet.</summary>
        InvalidAtTheEnd,
    }

    /// <summary>Null for valid UTF-8 (an unfinished sequence at the end is allowed when more may follow), else how it is invalid.</summary>
    private static Utf8? Utf8Verdict(ReadOnlySpan<byte> bytes, bool isFinal)
    {
        var at = 0;
        while (at < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[at..], out _, out var consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                at += consumed;
                continue;
            }

            if (status == System.Buffers.OperationStatus.NeedMoreData && !isFinal)
            {
                return null;
            }

            return isFinal || at + 4 <= bytes.Length ? Utf8.Invalid : Utf8.InvalidAtTheEnd;
        }

        return null;
    }

    /// <summary>Whether bytes are UTF-8.</summary>
    public static bool IsValidUtf8(ReadOnlySpan<byte> bytes) => Utf8Verdict(bytes, isFinal: true) is null;

    private static bool HasLoneSurrogate(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return !CanRead(() => element.GetString());
            case JsonValueKind.Array:
                return element.EnumerateArray().Any(HasLoneSurrogate);
            case JsonValueKind.Object:
                return element.EnumerateObject().Any(p => !CanRead(() => p.Name) || HasLoneSurrogate(p.Value));
            default:
                return false;
        }
    }

    private static bool CanRead(Func<string?> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    internal static string Describe(byte[] utf8) => Encoding.UTF8.GetString(utf8);
}
