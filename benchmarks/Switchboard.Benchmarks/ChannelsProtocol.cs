using System.Text;
using System.Text.Json;

namespace Switchboard.Benchmarks;

/// <summary>
/// The reference app's contract (ARCHITECTURE.md): <c>/ws/echo/</c> sends every frame back; <c>/ws/chat/{room}/</c>
/// takes <c>{"message": x}</c> and sends <c>{"message": x}</c> to every member, one message per frame.
/// </summary>
internal sealed class ChannelsProtocol : WireProtocol
{
    public override string EchoPath => "ws/echo/";

    public override string ChatPath(string room) => $"ws/chat/{room}/";

    public override int FormatEcho(Span<byte> destination, ReadOnlySpan<byte> text)
    {
        text.CopyTo(destination);
        return text.Length;
    }

    public override int FormatChat(Span<byte> destination, ReadOnlySpan<byte> text)
    {
        var prefix = "{\"message\": \""u8;
        prefix.CopyTo(destination);
        text.CopyTo(destination[prefix.Length..]);
        "\"}"u8.CopyTo(destination[(prefix.Length + text.Length)..]);
        return prefix.Length + text.Length + 2;
    }

    public override bool TryReadEchoes(ReadOnlyMemory<byte> frame, List<ReadOnlyMemory<byte>> texts)
    {
        texts.Add(frame);
        return true;
    }

    /// <summary>Reads <c>{"message": "..."}</c> in any JSON spelling (Python's json.dumps puts a space after the colon).</summary>
    public override bool TryReadChat(ReadOnlyMemory<byte> frame, List<ReadOnlyMemory<byte>> texts)
    {
        try
        {
            var reader = new Utf8JsonReader(frame.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            // Bounded by the frame's length.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessage = reader.ValueTextEquals("message"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (isMessage && reader.TokenType == JsonTokenType.String)
                {
                    texts.Add(StringValue(frame, ref reader));
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    /// <summary>The string token's text: a slice of the frame, or decoded when the server escaped it.</summary>
    internal static ReadOnlyMemory<byte> StringValue(ReadOnlyMemory<byte> frame, ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped
            ? Encoding.UTF8.GetBytes(reader.GetString()!)
            : frame.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
}
