using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>
/// Well-behaved chat clients in one room, chatting while the fuzzers run: each sends numbered messages
/// (<c>calm:CLIENT:SEQ</c>) and must receive every member's messages, each member's in order, none missing.
/// </summary>
internal sealed class CalmRoom : IAsyncDisposable
{
    public const string Room = "calm";

    private readonly List<Member> _members = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _sendLoops = [];
    private readonly List<Task> _receiveLoops = [];

    /// <summary>Gets the problems seen: a lost, repeated or reordered message, or a member dropped.</summary>
    public List<string> Problems { get; } = [];

    public long Sent => _members.Sum(m => m.Sent);

    public long Received => _members.Sum(m => m.ReceivedCount);

    public static async Task<CalmRoom> StartAsync(Uri webSocketBase, int members, TimeSpan interval, string roomName = Room)
    {
        var room = new CalmRoom();
        for (var i = 0; i < members; i++)
        {
            var socket = new ClientWebSocket();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(new Uri(webSocketBase, $"ws/chat/{roomName}/"), timeout.Token).ConfigureAwait(false);
            room._members.Add(new Member(i, socket, members));
        }

        foreach (var member in room._members)
        {
            room._receiveLoops.Add(room.ReceiveLoopAsync(member));
            room._sendLoops.Add(room.SendLoopAsync(member, interval));
        }

        return room;
    }

    /// <summary>Stops chatting, then waits (bounded) until every member has every message, and checks counts and order.</summary>
    /// <returns>The messages lost: 0 when every member received every message sent to the room.</returns>
    public async Task<long> StopAndCheckAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_sendLoops).ConfigureAwait(false);
        var expected = _members.Sum(m => m.Sent);
        for (var wait = 0; wait < 300 && _members.Any(m => m.ReceivedCount < expected) && Problems.Count == 0; wait++)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        long lost = 0;
        foreach (var member in _members)
        {
            for (var sender = 0; sender < _members.Count; sender++)
            {
                var got = member.Next[sender];
                if (got != _members[sender].Sent)
                {
                    lost += _members[sender].Sent - got;
                    Problems.Add($"calm client {member.Id} received {got} of client {sender}'s {_members[sender].Sent} messages");
                }
            }
        }

        return lost;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var member in _members)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await member.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }

            member.Socket.Dispose();
        }

        try
        {
            await Task.WhenAll([.. _sendLoops, .. _receiveLoops]).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        _stop.Dispose();
    }

    private async Task SendLoopAsync(Member member, TimeSpan interval)
    {
        // Bounded: at most one message per interval, and never more than 100,000.
        try
        {
            while (!_stop.IsCancellationRequested && member.Sent < 100_000)
            {
                var text = $"{{\"message\": \"calm:{member.Id}:{member.Sent}\"}}";
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await member.Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
                member.Sent++;
                await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Report($"calm client {member.Id} could not send: {e.Message}");
        }
    }

    private async Task ReceiveLoopAsync(Member member)
    {
        var buffer = new byte[2 * 1024 * 1024];
        try
        {
            while (member.Socket.State == WebSocketState.Open)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await member.Socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (!_stop.IsCancellationRequested)
                    {
                        Report($"calm client {member.Id} was closed with {member.Socket.CloseStatus}");
                    }

                    return;
                }

                OnMessage(member, buffer.AsSpan(0, count));
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            if (!_stop.IsCancellationRequested)
            {
                Report($"calm client {member.Id} lost its connection: {e.Message}");
            }
        }
    }

    private void OnMessage(Member member, ReadOnlySpan<byte> frame)
    {
        string? message;
        try
        {
            using var json = JsonDocument.Parse(frame.ToArray());
            message = json.RootElement.GetProperty("message").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Report($"calm client {member.Id} received a frame that is not a chat message: {Encoding.UTF8.GetString(frame)}");
            return;
        }

        // Fuzzers chat in this room too; only the calm messages are counted.
        if (message is null || !message.StartsWith("calm:", StringComparison.Ordinal))
        {
            return;
        }

        var parts = message.Split(':');
        var sender = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var seq = long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        if (seq != member.Next[sender])
        {
            Report($"calm client {member.Id} expected message {member.Next[sender]} of client {sender}, got {seq}");
        }

        member.Next[sender] = seq + 1;
        member.ReceivedCount++;
    }

    private void Report(string problem)
    {
        lock (Problems)
        {
            Problems.Add(problem);
        }
    }

    private sealed class Member(int id, ClientWebSocket socket, int members)
    {
        public int Id { get; } = id;

        public ClientWebSocket Socket { get; } = socket;

        public long Sent { get; set; }

        public long ReceivedCount { get; set; }

        public long[] Next { get; } = new long[members];
    }
}
