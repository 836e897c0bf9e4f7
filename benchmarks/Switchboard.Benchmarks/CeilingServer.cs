using System.Buffers;
using System.Net.WebSockets;
using System.Runtime;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Switchboard.Benchmarks;

/// <summary>
/// The ceiling: the smallest honest Kestrel WebSocket server with the reference app's <c>/ws/echo/</c> and
/// <c>/ws/chat/{room}/</c> contracts, written by hand with nothing a real app could not do. The reference app is
/// measured as a fraction of it.
/// </summary>
internal static class CeilingServer
{
    /// <summary>Runs the server until the process is stopped (<c>ceiling --urls http://127.0.0.1:PORT</c>).</summary>
    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        var rooms = new ChatRooms();
        app.UseWebSockets();

        // The harness polls this until the server answers; it also shows which GC the server runs.
        app.MapGet("/", () => $"ceiling gcServer={GCSettings.IsServerGC}");
        app.Map("/ws/echo/", EchoAsync);
        app.Map("/ws/chat/{room}/", (HttpContext context, string room) => ChatAsync(context, room, rooms));
        await app.RunAsync();
    }

    /// <summary>Sends every message back with its kind.</summary>
    private static async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var cancellationToken = context.RequestAborted;
        var buffer = new MessageBuffer();
        try
        {
            // Ends when the client closes or the connection drops.
            while (true)
            {
                var type = await buffer.ReceiveAsync(socket, cancellationToken);
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
    private static async Task ChatAsync(HttpContext context, string room, ChatRooms rooms)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var cancellationToken = context.RequestAborted;
        var member = new ChatMember(socket, cancellationToken);
        var members = rooms.Join(room, member);
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
                    break;
                }

                if (type != WebSocketMessageType.Text || !TryReadMessage(buffer.Message, out var message))
                {
                    continue;
                }

                // Serialized once, sent to every member; the broadcast completes before the next read,
                // so the output buffer can be reused.
                output.ResetWrittenCount();
                writer.Reset(output);
                writer.WriteStartObject();
                writer.WriteString("message", message);
                writer.WriteEndObject();
                writer.Flush();

                foreach (var (other, _) in members)
                {
                    await other.SendAsync(output.WrittenMemory);
                }
            }
        }
        catch (Exception ex) when (IsDisconnect(ex))
        {
            // The client went away; it leaves the room below.
        }
        finally
        {
            rooms.Leave(room, members, member);
        }

        await member.CloseAsync();
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
