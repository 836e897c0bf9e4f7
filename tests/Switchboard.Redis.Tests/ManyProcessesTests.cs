using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Switchboard.Redis.Tests.Infrastructure;

namespace Switchboard.Redis.Tests;

/// <summary>
/// Issue 6 item 10: two reference-app server processes and one worker process (<c>runworker thumbnails</c>) on one
/// redis-server, each started the way the README says (<c>--layer redis://...</c>). With a layer that crosses processes
/// the servers run no thumbnails worker of their own: every job is done by the worker process, once.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ManyProcessesTests(RedisServerFixture redis) : IAsyncLifetime
{
    private ChatServerProcess _first = null!;
    private ChatServerProcess _second = null!;
    private ChatServerProcess _worker = null!;

    public async Task InitializeAsync()
    {
        await redis.Server.CliAsync("DEL", "asgi:group:chat_multi", "asgi:group:notifications", "asgithumbnails");
        var first = ChatServerProcess.StartAsync(redis.Server.Url);
        var second = ChatServerProcess.StartAsync(redis.Server.Url);
        var worker = ChatServerProcess.StartWorkerAsync(redis.Server.Url, "thumbnails");
        _first = await first;
        _second = await second;
        _worker = await worker;
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _worker.DisposeAsync();
    }

    [Fact]
    public async Task ChatClientsOnTwoServers_SeeEveryMessageOnceInOrderPerSender()
    {
        const int PerSender = 25;
        using var onFirst = await ConnectAsync(_first, "/ws/chat/multi/");
        using var onSecond = await ConnectAsync(_second, "/ws/chat/multi/");
        await redis.Server.WaitForGroupMembersAsync("asgi", "chat_multi", 2);

        var reading = new[] { ReadMessagesAsync(onFirst, 2 * PerSender), ReadMessagesAsync(onSecond, 2 * PerSender) };
        for (var i = 0; i < PerSender; i++)
        {
            await SendAsync(onFirst, $"first:{i}");
            await SendAsync(onSecond, $"second:{i}");
        }

        foreach (var seen in await Task.WhenAll(reading))
        {
            foreach (var sender in new[] { "first", "second" })
            {
                Assert.Equal(Enumerable.Range(0, PerSender).Select(i => $"{sender}:{i}"), seen.Where(m => m.StartsWith(sender + ":", StringComparison.Ordinal)));
            }

            Assert.Equal(2 * PerSender, seen.Count);
        }
    }

    [Fact]
    public async Task ThumbnailPostedOnEitherServer_ReachesNotifyListenersOnBothOnce()
    {
        using var onFirst = await ConnectAsync(_first, "/ws/notify/");
        using var onSecond = await ConnectAsync(_second, "/ws/notify/");
        await redis.Server.WaitForGroupMembersAsync("asgi", "notifications", 2);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var reading = new[] { ReadMessagesAsync(onFirst, 4), ReadMessagesAsync(onSecond, 4) };
        for (var id = 1; id <= 4; id++)
        {
            var server = id % 2 == 0 ? _second : _first;
            var response = await http.PostAsync(new Uri(server.HttpBase, $"/thumbnail?id={id}"), null);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }

        foreach (var seen in await Task.WhenAll(reading))
        {
            var ids = seen.Select(static text => JsonDocument.Parse(text).RootElement.GetProperty("thumbnail").GetInt64()).Order();
            Assert.Equal([1L, 2L, 3L, 4L], ids);
        }

        // Nothing more: each job was done once, by the worker process.
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => onFirst.ReceiveAsync(new byte[256], quiet.Token));
    }

    private static async Task<ClientWebSocket> ConnectAsync(ChatServerProcess server, string path)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri(new UriBuilder(server.HttpBase) { Scheme = "ws" }.Uri, path), timeout.Token);
        return socket;
    }

    private static async Task SendAsync(WebSocket socket, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { message = text })), WebSocketMessageType.Text, true, timeout.Token);
    }

    private static async Task<List<string>> ReadMessagesAsync(WebSocket socket, int count)
    {
        var seen = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var text = await RedisChatApp.ReceiveTextAsync(socket, TimeSpan.FromSeconds(15));
            using var frame = JsonDocument.Parse(text);
            seen.Add(frame.RootElement.TryGetProperty("message", out var message) ? message.GetString()! : text);
        }

        return seen;
    }
}
