using System.Buffers.Binary;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>How a frame writes its payload length (RFC 6455 §5.2).</summary>
internal enum LengthEncoding
{
    /// <summary>The shortest form, as the RFC asks.</summary>
    Minimal,

    /// <summary>Always the 16-bit form (126), also for short payloads.</summary>
    Extended16,

    /// <summary>Always the 64-bit form (127).</summary>
    Extended64,

    /// <summary>The 64-bit form with its most significant bit set: a negative length, which the RFC forbids.</summary>
    Extended64HighBit,
}

/// <summary>
/// One frame as a client writes it, with every field free: reserved bits, any opcode, masked or not, any length form,
/// and a declared length that may exceed the bytes actually sent (a frame cut short on purpose).
/// </summary>
internal sealed record ClientFrame(byte Opcode, byte[] Payload)
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    public bool Fin { get; init; } = true;

    /// <summary>Gets the RSV1-3 bits, 0 to 7 (RSV1 is 4).</summary>
    public int Reserved { get; init; }

    public bool Masked { get; init; } = true;

    public uint MaskKey { get; init; }

    public LengthEncoding Length { get; init; }

    /// <summary>Gets the length written in the header, when it is not the payload's (the rest never comes).</summary>
    public long? DeclaredLength { get; init; }

    public long WireLength => DeclaredLength ?? Payload.Length;

    public bool IsControl => Opcode >= 0x8;

    public byte[] Encode()
    {
        var length = WireLength;
        var form = Length;
        if (form == LengthEncoding.Minimal)
        {
            form = length <= 125 ? LengthEncoding.Minimal : length <= ushort.MaxValue ? LengthEncoding.Extended16 : LengthEncoding.Extended64;
        }

        if (form == LengthEncoding.Extended16 && length > ushort.MaxValue)
        {
            form = LengthEncoding.Extended64;
        }

        var headerLength = 2 + form switch { LengthEncoding.Minimal => 0, LengthEncoding.Extended16 => 2, _ => 8 } + (Masked ? 4 : 0);
        var frame = new byte[headerLength + Payload.Length];
        frame[0] = (byte)((Fin ? 0x80 : 0) | ((Reserved & 7) << 4) | (Opcode & 0x0F));
        var at = 2;
        switch (form)
        {
            case LengthEncoding.Minimal:
                frame[1] = (byte)length;
                break;
            case LengthEncoding.Extended16:
                frame[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)length);
                at += 2;
                break;
            default:
                frame[1] = 127;
                var wire = form == LengthEncoding.Extended64HighBit ? (ulong)length | 0x8000_0000_0000_0000UL : (ulong)length;
                BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), wire);
                at += 8;
                break;
        }

        if (Masked)
        {
            frame[1] |= 0x80;
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(at), MaskKey);
            at += 4;
            Span<byte> key = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(key, MaskKey);
            for (var i = 0; i < Payload.Length; i++)
            {
                frame[at + i] = (byte)(Payload[i] ^ key[i & 3]);
            }
        }
        else
        {
            Payload.CopyTo(frame, at);
        }

        return frame;
    }

    public override string ToString()
    {
        var flags = (Fin ? "fin" : "more") + (Reserved != 0 ? $" rsv={Reserved}" : "") + (Masked ? "" : " UNMASKED")
            + (Length != LengthEncoding.Minimal ? $" len={Length}" : "") + (DeclaredLength is { } d ? $" declared={d}" : "");
        var preview = Payload.Length <= 24 ? Convert.ToHexString(Payload) : Convert.ToHexString(Payload.AsSpan(0, 24)) + $"...({Payload.Length} B)";
        return $"[op={Opcode:X} {flags} {preview}]";
    }
}
