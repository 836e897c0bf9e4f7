using System.Net.WebSockets;
using System.Text.Json;

namespace Switchboard.Benchmarks;

/// <summary>
/// The SignalR JSON hub protocol spoken directly on a WebSocket to <c>/hub</c> (no negotiation, no client library: it
/// costs the load generator least). After <c>{"protocol":"json","version":1}</c> + 0x1E the server answers <c>{}</c> +
/// 0x1E; then every message is a JSON record ending in 0x1E, and the server packs several records into one frame when
/// they queue up. Echo invokes <c>Echo(text)</c> (answered by <c>echo</c>), chat invokes <c>Send(text)</c> (each room
/// member gets <c>message</c>); the room is the query string's <c>room</c>, joined on connect.
/// </summary>
internal sealed class SignalRProtocol : WireProtocol
{
    private const byte RecordSeparator = 0x1E;
    private const int InvocationType = 1;
    private const int PingType = 6;

    public override string EchoPath => "hub";

    public override string ChatPath(string room) => $"hub?room={room}";

    public override async ValueTask HandshakeAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var request = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
        await socket.SendAsync(request, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        var buffer = new MessageBuffer();
        var type = await buffer.ReceiveAsync(socket, cancellationToken);
        var answer = buffer.Message.Span;
        if (type != WebSocketMessageType.Text || answer.Length == 0 || answer[^1] != RecordSeparator
            || answer.IndexOf(RecordSeparator) != answer.Length - 1 || answer.IndexOf("\"error\""u8) >= 0)
        {
            throw new InvalidDataException($"The SignalR handshake was answered with {type} {MessageBuffer.Preview(answer)}, not {{}} and 0x1E.");
        }
    }

    public override int FormatEcho(Span<byte> destination, ReadOnlySpan<byte> text) =>
        Invocation(destination, "{\"type\":1,\"target\":\"Echo\",\"arguments\":[\""u8, text);

    public override int FormatChat(Span<byte> destination, ReadOnlySpan<byte> text) =>
        Invocation(destination, "{\"type\":1,\"target\":\"Send\",\"arguments\":[\""u8, text);

    public override bool TryReadEchoes(ReadOnlyMemory<byte> frame, List<ReadOnlyMemory<byte>> texts) =>
        TryReadInvocations(frame, "echo"u8, texts);

    public override bool TryReadChat(ReadOnlyMemory<byte> frame, List<ReadOnlyMemory<byte>> texts) =>
        TryReadInvocations(frame, "message"u8, texts);

    private static int Invocation(Span<byte> destination, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> text)
    {
        prefix.CopyTo(destination);
        text.CopyTo(destination[prefix.Length..]);
        var written = prefix.Length + text.Length;
        "\"]}\u001e"u8.CopyTo(destination[written..]);
        return written + 4;
    }

    /// <summary>Each record is an invocation of <paramref name="target"/> with one string argument, or a ping (skipped).</summary>
    private static bool TryReadInvocations(ReadOnlyMemory<byte> frame, ReadOnlySpan<byte> target, List<ReadOnlyMemory<byte>> texts)
    {
        var rest = frame;

        // Bounded by the frame's length: each pass consumes one record.
        while (rest.Length > 0)
        {
            var end = rest.Span.IndexOf(RecordSeparator);
            if (end < 0)
            {
                return false;
            }

            if (!TryReadRecord(rest[..end], target, texts))
            {
                return false;
            }

            rest = rest[(end + 1)..];
        }

        return true;
    }

    private static bool TryReadRecord(ReadOnlyMemory<byte> record, ReadOnlySpan<byte> target, List<ReadOnlyMemory<byte>> texts)
    {
        try
        {
            var reader = new Utf8JsonReader(record.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            int? type = null;
            var targetMatches = false;
            ReadOnlyMemory<byte>? argument = null;

            // Bounded by the record's length.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    type = reader.Read() && reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : -1;
                }
                else if (reader.ValueTextEquals("target"u8))
                {
                    targetMatches = reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(target);
                }
                else if (reader.ValueTextEquals("arguments"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    argument = ChannelsProtocol.StringValue(record, ref reader);
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.EndArray)
                    {
                        return false;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (type == PingType)
            {
                return true;
            }

            if (type == InvocationType && targetMatches && argument is { } text)
            {
                texts.Add(text);
                return true;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
