using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Functions;
using Switchboard.Routing;
using Switchboard.Testing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Functions;

public class FunctionRouterTests
{
    [Fact]
    public async Task Route_ConnectReceiveDisconnect_RunInOrderWithTheChannelSession()
    {
        var seen = new List<string>();
        var router = new FunctionRouter()
            .Route(EventTypes.WebSocketConnect, async (m, ct) =>
            {
                m.ChannelSession["name"] = m.GetRouteValue("name");
                seen.Add("connect");
                await m.ReplyChannel.AcceptAsync(cancellationToken: ct);
            }, path: "ws/hello/{name}/")
            .Route(EventTypes.WebSocketReceive, (m, ct) =>
            {
                seen.Add("receive " + m.Text);
                return m.ReplyChannel.SendAsync($"{m.ChannelSession["name"]}: {m.Text}", ct);
            }, path: "ws/hello/{name}/")
            .Route(EventTypes.WebSocketDisconnect, (m, ct) =>
            {
                seen.Add($"disconnect {m.CloseCode}");
                return default;
            }, path: "ws/hello/{name}/");
        await using var client = new WebSocketCommunicator(router, "/ws/hello/ada/");

        Assert.True((await client.ConnectAsync()).Accepted);
        await client.SendTextAsync("one");
        await client.SendTextAsync("two");
        Assert.Equal("ada: one", await client.ReceiveTextAsync());
        Assert.Equal("ada: two", await client.ReceiveTextAsync());
        await client.DisconnectAsync(4001);

        Assert.Equal(["connect", "receive one", "receive two", "disconnect 4001"], seen);
    }

    [Fact]
    public async Task Include_PrefixCapturesArePassedDown_RegexRoutesMatchTheRest()
    {
        var inner = new FunctionRouter()
            .Route(EventTypes.WebSocketReceive, (m, ct) => m.ReplyChannel.SendAsync($"{m.GetRouteValue("room")}/{m.GetRouteValue("id")}", ct),
                new Regex(@"^items/(?<id>\d+)/$"));
        var router = new FunctionRouter().Include("ws/rooms/{room}/", inner);
        await using var client = new WebSocketCommunicator(router, "/ws/rooms/lobby/items/42/");

        Assert.True((await client.ConnectAsync()).Accepted);
        await client.SendTextAsync("?");

        Assert.Equal("lobby/42", await client.ReceiveTextAsync());
        Assert.False(router.CanHandle(new ConnectionScope(ScopeTypes.WebSocket) { Path = "/ws/rooms/lobby/items/x/" }));
    }

    [Fact]
    public async Task Include_StaticPrefix_IncludedRoutesMatchTheRestOfThePath()
    {
        var router = new FunctionRouter().Include("chat/", new FunctionRouter()
            .Route(EventTypes.WebSocketReceive, (m, ct) => m.ReplyChannel.SendAsync("room " + m.GetRouteValue("room"), ct), path: "{room}/"));
        await using var client = new WebSocketCommunicator(router, "/chat/lobby/");

        Assert.True((await client.ConnectAsync()).Accepted);
        await client.SendTextAsync("?");

        Assert.Equal("room lobby", await client.ReceiveTextAsync());
        Assert.False(router.CanHandle(new ConnectionScope(ScopeTypes.WebSocket) { Path = "/other/lobby/" }));
    }

    [Fact]
    public async Task Http_ResponseLeftOpen_IsFinishedByALaterLayerMessage()
    {
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var router = new FunctionRouter()
            .Route(EventTypes.HttpRequest, async (m, ct) =>
            {
                await m.GroupAddAsync("waiting", ct);
                joined.TrySetResult();
            })
            .Route("news", (m, ct) => m.ReplyChannel.SendResponseAsync(200, (string)m["text"]!, cancellationToken: ct));
        await using var services = TestServices.Create(router);
        await using var client = new HttpCommunicator(router, "GET", "/poll/", services: services);

        var response = client.GetResponseAsync();
        await joined.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await services.GetRequiredService<IChannelLayer>().GroupSendAsync("waiting", new LayerMessage("news") { ["text"] = "it happened" });

        Assert.Equal("it happened", (await response).BodyText);
    }

    [Fact]
    public async Task Route_HttpMethodFilter_OnlyThatMethodIsHandled()
    {
        var router = new FunctionRouter()
            .Route(EventTypes.HttpRequest, (m, ct) => m.ReplyChannel.SendResponseAsync(201, "made " + System.Text.Encoding.UTF8.GetString(m.Body.Span), cancellationToken: ct),
                path: "items/", method: "POST");

        Assert.True(router.CanHandle(new ConnectionScope(ScopeTypes.Http) { Path = "/items/", Method = "POST" }));
        Assert.False(router.CanHandle(new ConnectionScope(ScopeTypes.Http) { Path = "/items/", Method = "GET" }));
        await using var client = new HttpCommunicator(router, "POST", "/items/", "x"u8.ToArray());
        var response = await client.GetResponseAsync();
        Assert.Equal(201, response.Status);
        Assert.Equal("made x", response.BodyText);

        await using var wrongMethod = new HttpCommunicator(router, "GET", "/items/");
        await Assert.ThrowsAsync<RouteNotFoundException>(() => wrongMethod.WaitAsync());
    }

    [Fact]
    public async Task ReplyChannel_SentToThroughTheLayerByName_ReachesTheSocket()
    {
        var router = new FunctionRouter()
            .Route(EventTypes.WebSocketReceive, (m, ct) => m.ReplyChannel.SendAsync(m.ReplyChannel.Name, ct));
        await using var services = TestServices.Create(router);
        await using var client = new WebSocketCommunicator(router, "/ws/", services);
        Assert.True((await client.ConnectAsync()).Accepted);
        await client.SendTextAsync("name?");
        var name = await client.ReceiveTextAsync();

        var layer = services.GetRequiredService<IChannelLayer>();
        await layer.SendAsync(name, new LayerMessage(EventTypes.WebSocketSend) { ["text"] = "from anywhere" });
        await layer.SendAsync(name, new LayerMessage(EventTypes.WebSocketClose) { ["code"] = 4000L });

        Assert.Equal("from anywhere", await client.ReceiveTextAsync());
        Assert.Equal(4000, (await client.ReceiveCloseAsync()).Code);
    }

    [Fact]
    public async Task GroupMessage_RoutedByType_AndMembershipLeftAtDisconnect()
    {
        var router = new FunctionRouter()
            .Route(EventTypes.WebSocketConnect, async (m, ct) =>
            {
                await m.GroupAddAsync("room", ct);
                await m.ReplyChannel.AcceptAsync(cancellationToken: ct);
            })
            .Route(EventTypes.WebSocketReceive, (m, ct) => m.ReplyChannel.SendAsync(m.ReplyChannel.Name, ct))
            .Route("room.says", (m, ct) => m.ReplyChannel.SendAsync((string)m["text"]!, ct));
        await using var services = TestServices.Create(router);
        var layer = services.GetRequiredService<IChannelLayer>();
        await using var client = new WebSocketCommunicator(router, "/ws/", services);
        Assert.True((await client.ConnectAsync()).Accepted);
        await client.SendTextAsync("name?");
        var name = await client.ReceiveTextAsync();

        await layer.GroupSendAsync("room", new LayerMessage("room.says") { ["text"] = "hi" });
        Assert.Equal("hi", await client.ReceiveTextAsync());
        await client.DisconnectAsync();

        // The membership went with the connection: a group send after it no longer reaches the old reply channel.
        await layer.GroupSendAsync("room", new LayerMessage("room.says") { ["text"] = "after" });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => layer.ReceiveAsync(name, cts.Token).AsTask());
    }

    [Fact]
    public async Task LayerMessage_WithoutARoute_ClosesWith1011AndLogsTheFix()
    {
        var logs = new TestLoggerProvider();
        var router = new FunctionRouter().Route(EventTypes.WebSocketReceive, (m, ct) => m.ReplyChannel.SendAsync(m.ReplyChannel.Name, ct));
        await using var services = TestServices.Create(router, logs);
        await using var client = new WebSocketCommunicator(router, "/ws/", services);
        Assert.True((await client.ConnectAsync()).Accepted);
        await client.SendTextAsync("name?");
        var name = await client.ReceiveTextAsync();

        await services.GetRequiredService<IChannelLayer>().SendAsync(name, new LayerMessage("unknown.type"));

        Assert.Equal(WebSocketCloseCode.InternalServerError, (await client.ReceiveCloseAsync()).Code);
        Assert.Contains(logs.AtLeast(LogLevel.Error), e => e.Exception?.Message.Contains(".Route(\"unknown.type\"", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void CanHandle_NoRouteForThePath_IsFalse_SoTheRequestFallsThrough()
    {
        var router = new FunctionRouter().Route(EventTypes.WebSocketReceive, (m, ct) => default, path: "ws/a/");

        Assert.True(router.CanHandle(new ConnectionScope(ScopeTypes.WebSocket) { Path = "/ws/a/" }));
        Assert.False(router.CanHandle(new ConnectionScope(ScopeTypes.WebSocket) { Path = "/ws/b/" }));
        Assert.False(router.CanHandle(new ConnectionScope(ScopeTypes.Http) { Path = "/ws/a/", Method = "GET" }));
    }

    [Fact]
    public async Task WorkerChannel_FailingHandler_IsLoggedWithChannelAndType_AndTheNextMessageIsHandled()
    {
        var logs = new TestLoggerProvider();
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var router = new FunctionRouter().Route("jobs", (m, ct) =>
        {
            if (m.Type == "job.fail")
            {
                throw new InvalidOperationException("boom");
            }

            done.TrySetResult((string)m["name"]!);
            return default;
        });
        var app = new ProtocolTypeRouter { ["channel"] = new ChannelNameRouter { ["jobs"] = router } };
        await using var services = TestServices.Create(app, logs, s => new Builder(s).AddWorker("jobs"));
        var worker = Assert.Single(services.GetServices<IHostedService>());
        await worker.StartAsync(CancellationToken.None);
        var layer = services.GetRequiredService<IChannelLayer>();

        await layer.SendAsync("jobs", new LayerMessage("job.fail"));
        await layer.SendAsync("jobs", new LayerMessage("job.run") { ["name"] = "second" });

        Assert.Equal("second", await done.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        var error = Assert.Single(logs.AtLeast(LogLevel.Error));
        Assert.Equal("FunctionWorkerHandlerFailed", error.EventId.Name);
        Assert.Contains("jobs", error.Message, StringComparison.Ordinal);
        Assert.Contains("job.fail", error.Message, StringComparison.Ordinal);
        await worker.StopAsync(CancellationToken.None);
    }

    private sealed class Builder(IServiceCollection services) : ISwitchboardBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
