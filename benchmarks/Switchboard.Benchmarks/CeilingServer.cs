using System.Buffers;
using System.Net.WebSockets;
using System.Runtime;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Switchboard.Benchmarks;

/// <summary>
/// The ceiling: the smallest honest Kestrel WebSocket server with the reference app's <c>/ws/echo/</c> and
/// <c>/ws/chat/{room}/</c> contracts, written by hand with nothing a real app could not do. The reference app is
/// measured as a fraction of it. With <c>--coalesce</c> (the <c>coalesced</c> target) a room's frames are encoded once
/// and queued per socket, and each socket's queue is written with one write per drain (<see cref="CoalescingMember"/>):
/// the hand-written server with coalesced writes that issue 5 compares with. That variant's echo sockets also wait for
/// data with a zero-byte read and hold no buffer while idle, as issue 5's probe did: its idle memory is what a bare
/// ASP.NET Core WebSocket endpoint holds per socket, the floor under any framework built on one.
/// </summary>
internal static class CeilingServer
{
    /// <summary>Runs the server until the process is stopped (<c>ceiling --urls http://127.0.0.1:PORT</c>).</summary>
    public static async Task RunAsync(string[] args)
    {
        var coalesce = args.Contains("--coalesce");
        var builder = WebApplication.CreateSlimBuilder(args.Where(a => a != "--coalesce").ToArray());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        app.UseWebSockets();

        // The harness polls this until the server answers; it also shows which GC the server runs.
        app.MapGet("/", () => $"{(coalesce ? "coalesced " : "")}ceiling gcServer={GCSettings.IsServerGC}");
        app.Map("/ws/echo/", (HttpContext context) => EchoAsync(context, zeroByteReads: coalesce));
        if (coalesce)
        {
            var rooms = new ChatRooms<CoalescingMember>();
            app.Map("/ws/chat/{room}/", (HttpContext context, string room) => CoalescedChatAsync(context, room, rooms));
        }
        else
        {
            var rooms = new ChatRooms<ChatMember>();
            app.Map("/ws/chat/{room}/", (HttpContext context, string room) => ChatAsync(context, room, rooms));
        }

        await app.RunAsync();
    }

    /// <summary>Sends every message back with its kind; with <paramref name="zeroByteReads"/>, the buffer is the
    /// pool's, taken only once a message has begun to arrive.</summary>
    private static async Task EchoAsync(HttpContext context, bool zeroByteReads)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var cancellationToken = context.RequestAborted;
        var buffer = new MessageBuffer(pooled: zeroByteReads);
        try
        {
            // Ends when the client closes or the connection drops.
            while (true)
            {
                var type = WebSocketMessageType.Binary;
                if (zeroByteReads)
                {
                    buffer.Release();
                    type = (await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken)).MessageType;
                }

                if (type != WebSocketMessageType.Close)
                {
                    type = await buffer.ReceiveAsync(socket, cancellationToken);
                }

                if (type == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                    return;
                }

                await socket.SendAsync(buffer.Message, type, endOfMessage: true, cancellationToken);
            }
        }
        catch (Exception ex) when (IsDisconnect(ex))
        {
            // The client went away; nothing to report.
        }
    }

    /// <summary>Joins <paramref name="room"/>; each text message <c>{"message": x}</c> goes to every member as <c>{"message": x}</c>.</summary>
    private static async Task ChatAsync(HttpContext context, string room, ChatRooms<ChatMember> rooms)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var member = new ChatMember(socket, context.RequestAborted);
        var members = rooms.Join(room, member);
        try
        {
            await RelayAsync(socket, async json =>
            {
                foreach (var (other, _) in members)
                {
                    await other.SendAsync(json);
                }
            }, context.RequestAborted);
        }
        finally
        {
            rooms.Leave(room, members, member);
        }

        await member.CloseAsync();
    }

    /// <summary>
    /// The coalesced variant of <see cref="ChatAsync"/>: the handshake is done here (so the upgraded stream can be
    /// written directly), each broadcast frame is encoded once and queued on every member, never awaited.
    /// </summary>
    private static async Task CoalescedChatAsync(HttpContext context, string room, ChatRooms<CoalescingMember> rooms)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        var stream = await upgrade.UpgradeAsync();
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var member = new CoalescingMember(stream, context.Abort);
        var members = rooms.Join(room, member);
        try
        {
            await RelayAsync(socket, json =>
            {
                var frame = CoalescingMember.TextFrame(json.Span);
                foreach (var (other, _) in members)
                {
                    other.Enqueue(frame);
                }

                return ValueTask.CompletedTask;
            }, context.RequestAborted);
        }
        finally
        {
            rooms.Leave(room, members, member);
        }

        await member.StopAsync();
        try
        {
            if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
            }
        }
        catch (Exception ex) when (IsDisconnect(ex))
        {
            // Gone already.
        }
    }

    /// <summary>
    /// Reads <paramref name="socket"/> until the client closes or goes away; each <c>{"message": x}</c> is serialized
    /// once as <c>{"message": x}</c> and given to <paramref name="broadcast"/>, which completes before the next read (so
    /// the output buffer can be reused).
    /// </summary>
    private static async Task RelayAsync(WebSocket socket, Func<ReadOnlyMemory<byte>, ValueTask> broadcast, CancellationToken cancellationToken)
    {
        var buffer = new MessageBuffer();
        var output = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(output);
        try
        {
            while (true)
            {
                var type = await buffer.ReceiveAsync(socket, cancellationToken);
                if (type == WebSocketMessageType.Close)
                {
                    return;
                }

                if (type != WebSocketMessageType.Text || !TryReadMessage(buffer.Message, out var message))
                {
                    continue;
                }

                output.ResetWrittenCount();
                writer.Reset(output);
                writer.WriteStartObject();
                writer.WriteString("message", message);
                writer.WriteEndObject();
                writer.Flush();
                await broadcast(output.WrittenMemory);
            }
        }
        catch (Exception ex) when (IsDisconnect(ex))
        {
            // The client went away; it leaves the room.
        }
    }

    /// <summary>Reads the string <c>message</c> of a JSON object; false for anything else (ignored, like the reference app).</summary>
    private static bool TryReadMessage(ReadOnlyMemory<byte> json, out string message)
    {
        message = "";
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var value)
                && value.ValueKind == JsonValueKind.String)
            {
                message = value.GetString()!;
                return true;
            }
        }
        catch (JsonException)
        {
            // Not JSON: ignored.
        }

        return false;
    }

    /// <summary>True for the exceptions a dropped or aborted connection raises.</summary>
    internal static bool IsDisconnect(Exception exception) =>
        exception is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException;
}
