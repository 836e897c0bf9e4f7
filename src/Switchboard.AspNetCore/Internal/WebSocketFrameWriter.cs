using System.Buffers.Binary;

namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// Encodes complete, unmasked server data frames (RFC 6455 §5.2), so that the outbox can put many frames into one
/// buffer and one write. Only the outbox's data frames are encoded here; control frames (ping, pong, close) stay with
/// <see cref="System.Net.WebSockets.WebSocket"/>.
/// </summary>
/// <remarks>
/// A server frame is a header and the payload as it is: no masking (§5.1: a server must not mask), no extension bits
/// (the outbox encodes only when the handshake negotiated no extension), FIN set (a Switchboard message is one frame).
/// </remarks>
internal static class WebSocketFrameWriter
{
    /// <summary>The longest header: 2 bytes plus a 64-bit length.</summary>
    public const int MaxHeaderLength = 10;

    private const byte Fin = 0x80;
    private const byte TextOpcode = 0x1;
    private const byte BinaryOpcode = 0x2;

    /// <summary>The encoded size of a frame with a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int FrameLength(int payloadLength) => HeaderLength(payloadLength) + payloadLength;

    /// <summary>Writes one frame at the start of <paramref name="destination"/>, which must hold <see cref="FrameLength"/> bytes.</summary>
    /// <returns>The bytes written.</returns>
    public static int Write(Span<byte> destination, bool isText, ReadOnlySpan<byte> payload)
    {
        destination[0] = (byte)(Fin | (isText ? TextOpcode : BinaryOpcode));
        int header;
        if (payload.Length <= 125)
        {
            destination[1] = (byte)payload.Length;
            header = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            destination[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payload.Length);
            header = 4;
        }
        else
        {
            destination[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payload.Length);
            header = MaxHeaderLength;
        }

        payload.CopyTo(destination[header..]);
        return header + payload.Length;
    }

    private static int HeaderLength(int payloadLength) => payloadLength switch
    {
        <= 125 => 2,
        <= ushort.MaxValue => 4,
        _ => MaxHeaderLength,
    };
}
