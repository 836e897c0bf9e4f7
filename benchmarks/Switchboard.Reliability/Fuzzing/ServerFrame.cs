using System.Buffers.Binary;
using System.Text;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>A frame as the server sent it.</summary>
internal sealed record ServerFrame(byte Opcode, bool Fin, byte[] Payload)
{
    /// <summary>Gets the close code of a close frame (1005 when it has none).</summary>
    public int CloseCode => Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : 1005;

    public string Text => Encoding.UTF8.GetString(Payload);
}
