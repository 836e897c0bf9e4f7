using Microsoft.AspNetCore.SignalR;

namespace Switchboard.Benchmarks;

/// <summary>
/// The SignalR peer's hub, with the reference app's two operations: <c>Echo(text)</c> answers the caller with
/// <c>echo(text)</c>; a connection opened with <c>?room=NAME</c> joins group NAME, and <c>Send(text)</c> sends
/// <c>message(text)</c> to every member of its room, the caller included. Written as a SignalR user would.
/// </summary>
internal sealed class BenchHub : Hub
{
    private const string RoomKey = "room";

    /// <summary>Joins the room named by the query string, if any.</summary>
    public override async Task OnConnectedAsync()
    {
        var room = Context.GetHttpContext()?.Request.Query[RoomKey].ToString();
        if (!string.IsNullOrEmpty(room))
        {
            Context.Items[RoomKey] = room;
            await Groups.AddToGroupAsync(Context.ConnectionId, room);
        }
    }

    /// <summary>Sends <paramref name="text"/> back to the caller.</summary>
    public Task Echo(string text) => Clients.Caller.SendAsync("echo", text);

    /// <summary>Sends <paramref name="text"/> to the caller's room (nothing without one).</summary>
    public Task Send(string text) =>
        Context.Items.TryGetValue(RoomKey, out var room) && room is string name
            ? Clients.Group(name).SendAsync("message", text)
            : Task.CompletedTask;
}
