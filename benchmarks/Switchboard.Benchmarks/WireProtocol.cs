using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>
/// How a target's clients talk to it: the endpoints, the handshake after the WebSocket opens, and how echo and chat
/// messages are framed. The workloads are written once against this; <see cref="Channels"/> is the reference app's
/// contract (Switchboard, the ceiling, Django Channels), <see cref="SignalR"/> the JSON hub protocol.
/// </summary>
internal abstract class WireProtocol
{
    /// <summary>The reference app's endpoints: <c>/ws/echo/</c> and <c>/ws/chat/{room}/</c>, one message per frame.</summary>
    public static WireProtocol Channels { get; } = new ChannelsProtocol();

    /// <summary>An ASP.NET Core SignalR hub on <c>/hub</c>, spoken directly with the JSON hub protocol (no negotiation).</summary>
    public static WireProtocol SignalR { get; } = new SignalRProtocol();

    /// <summary>The bytes a frame adds around a message's text, at most (the workloads size their buffers with it).</summary>
    public const int MaxOverhead = 96;

    /// <summary>The echo endpoint's path (relative, no leading slash).</summary>
    public abstract string EchoPath { get; }

    /// <summary>The path that joins <paramref name="room"/>.</summary>
    public abstract string ChatPath(string room);

    /// <summary>Runs right after the WebSocket opened; the connection is usable when it completes.</summary>
    /// <exception cref="InvalidDataException">The server answered the handshake with something else.</exception>
    public virtual ValueTask HandshakeAsync(ClientWebSocket socket, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Writes the frame that asks for an echo of <paramref name="text"/> (ASCII without quotes or backslashes).</summary>
    /// <returns>The bytes written.</returns>
    public abstract int FormatEcho(Span<byte> destination, ReadOnlySpan<byte> text);

    /// <summary>Writes the frame that broadcasts <paramref name="text"/> to the sender's room.</summary>
    /// <returns>The bytes written.</returns>
    public abstract int FormatChat(Span<byte> destination, ReadOnlySpan<byte> text);

    /// <summary>Adds the echoed texts carried by <paramref name="frame"/> (a text frame) to <paramref name="texts"/>.</summary>
    /// <returns>False when the frame breaks the protocol.</returns>
    public abstract bool TryReadEchoes(ReadOnlyMemory<byte> frame, List<ReadOnlyMemory<byte>> texts);

    /// <summary>Adds the chat messages' texts carried by <paramref name="frame"/> (a text frame) to <paramref name="texts"/>.</summary>
    /// <returns>False when the frame breaks the protocol.</returns>
    public abstract bool TryReadChat(ReadOnlyMemory<byte> frame, List<ReadOnlyMemory<byte>> texts);
}
