using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Testing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Consumers;

public class WebSocketConsumerTests
{
    [Fact]
    public async Task ConnectAsync_DefaultHook_Accepts()
    {
        await using var client = new WebSocketCommunicator(Consumer.AsApplication<SilentConsumer>(), "/ws/");

        var result = await client.ConnectAsync();

        Assert.True(result.Accepted);
        Assert.Null(result.Subprotocol);
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task ConnectAsync_ConsumerCloses_RefusedWithItsCode()
    {
        await using var client = new WebSocketCommunicator(Consumer.AsApplication<RefusingConsumer>(), "/ws/");

        var result = await client.ConnectAsync();

        Assert.False(result.Accepted);
        Assert.Equal(4003, result.CloseCode);
    }

    [Fact]
    public async Task ConnectAsync_WithSubprotocols_AcceptsTheChosenOne()
    {
        await using var client = new WebSocketCommunicator(
            Consumer.AsApplication<SubprotocolConsumer>(), "/ws/", subprotocols: ["v1.chat", "v2.chat"]);

        var result = await client.ConnectAsync();

        Assert.True(result.Accepted);
        Assert.Equal("v2.chat", result.Subprotocol);
    }

    [Fact]
    public async Task Receive_TextAndBinary_ReachTheirHooksWithKindPreserved()
    {
        await using var client = new WebSocketCommunicator(Consumer.AsApplication<KindEchoConsumer>(), "/ws/");
        await client.ConnectAsync();

        await client.SendTextAsync("héllo");
        await client.SendBytesAsync(new byte[] { 1, 2, 3 });
        await client.SendTextAsync("");
        await client.SendBytesAsync(Array.Empty<byte>());

        Assert.Equal("text:héllo", await client.ReceiveTextAsync());
        Assert.Equal(new byte[] { 1, 2, 3 }, await client.ReceiveBytesAsync());
        Assert.Equal("text:", await client.ReceiveTextAsync());
        Assert.Empty(await client.ReceiveBytesAsync());
        Assert.True(await client.ReceiveNothingAsync());
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task Groups_JoinedOnConnect_ReceiveGroupSends()
    {
        var app = Consumer.AsApplication<RoomConsumer>();
        await using var services = TestServices.Create(app);
        await using var first = new WebSocketCommunicator(app, "/ws/", services);
        await using var second = new WebSocketCommunicator(app, "/ws/", services);
        await first.ConnectAsync();
        await second.ConnectAsync();

        await first.SendTextAsync("hi all");

        Assert.Equal("hi all", await first.ReceiveTextAsync());
        Assert.Equal("hi all", await second.ReceiveTextAsync());
        await first.DisconnectAsync();
        await second.DisconnectAsync();
    }

    [Fact]
    public async Task Disconnect_LeavesGroupsAndRunsDisconnectHookOnce()
    {
        var app = Consumer.AsApplication<RoomConsumer>();
        var log = new DisconnectLog();
        await using var services = TestServices.Create(app, configure: s => s.AddSingleton(log));
        await using var leaving = new WebSocketCommunicator(app, "/ws/", services);
        await using var staying = new WebSocketCommunicator(app, "/ws/", services);
        await leaving.ConnectAsync();
        await staying.ConnectAsync();

        await leaving.DisconnectAsync(4000);
        await staying.SendTextAsync("after");

        Assert.Equal("after", await staying.ReceiveTextAsync());
        Assert.Equal([4000], log.Codes);
        var layer = services.GetRequiredService<IChannelLayer>();
        await layer.GroupSendAsync(RoomConsumer.Room, new LayerMessage("room.message") { ["text"] = "x" });
        Assert.Equal("x", await staying.ReceiveTextAsync());
        await staying.DisconnectAsync();
        Assert.Equal([4000, 1000], log.Codes);
    }

    [Fact]
    public async Task HandlerThrows_ClosesWith1011AtOnce_LogsAndRunsDisconnectLogic()
    {
        var app = Consumer.AsApplication<FailingConsumer>();
        var logs = new TestLoggerProvider();
        var log = new DisconnectLog();
        await using var services = TestServices.Create(app, logs, s => s.AddSingleton(log));
        await using var failing = new WebSocketCommunicator(app, "/ws/", services);
        await using var other = new WebSocketCommunicator(app, "/ws/", services);
        await failing.ConnectAsync();
        await other.ConnectAsync();

        await failing.SendTextAsync("boom");

        var close = await failing.ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseCode.InternalServerError, close.Code);
        await failing.WaitAsync();
        Assert.Equal([WebSocketCloseCode.InternalServerError], log.Codes);
        var error = Assert.Single(logs.AtLeast(LogLevel.Error));
        Assert.IsType<InvalidOperationException>(error.Exception);
        Assert.Contains("FailingConsumer", error.Message);

        // The failed consumer left the group; the other one still gets group messages and nothing else broke.
        await other.SendTextAsync("still here");
        Assert.Equal("still here", await other.ReceiveTextAsync());
        Assert.True(await other.ReceiveNothingAsync());
        await other.DisconnectAsync();
    }

    [Fact]
    public async Task ConnectHookThrows_RefusesHandshakeWith1011()
    {
        var logs = new TestLoggerProvider();
        var app = Consumer.AsApplication<ThrowOnConnectConsumer>();
        await using var services = TestServices.Create(app, logs);
        await using var client = new WebSocketCommunicator(app, "/ws/", services);

        var result = await client.ConnectAsync();

        Assert.False(result.Accepted);
        Assert.Equal(WebSocketCloseCode.InternalServerError, result.CloseCode);
        await client.WaitAsync();
        Assert.Single(logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task Stop_FromHandler_ClosesNormallyAndRunsDisconnectLogic()
    {
        var app = Consumer.AsApplication<StoppingConsumer>();
        var log = new DisconnectLog();
        await using var services = TestServices.Create(app, configure: s => s.AddSingleton(log));
        await using var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();

        await client.SendTextAsync("bye");

        Assert.Equal(WebSocketCloseCode.NormalClosure, (await client.ReceiveCloseAsync()).Code);
        await client.WaitAsync();
        Assert.Equal([WebSocketCloseCode.NormalClosure], log.Codes);
    }

    [Fact]
    public async Task Disconnect_LayerFailsToDropTheGroup_DisconnectHookStillRuns()
    {
        var app = Consumer.AsApplication<RoomConsumer>();
        var log = new DisconnectLog();
        var logs = new TestLoggerProvider();
        var layer = new FailingDiscardLayer();
        await using var services = TestServices.Create(app, logs, s => s.AddSingleton(log).AddSingleton<IChannelLayer>(layer));
        await using var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();

        await client.DisconnectAsync(4001);

        Assert.Equal([4001], log.Codes);
        Assert.Contains(logs.AtLeast(LogLevel.Warning), e => e.Exception is InvalidOperationException { Message: "layer down" });
    }

    [Fact]
    public async Task SendAsync_ValueOfAGroupMessage_EncodedOnceAndSentWithItsKind()
    {
        var app = Consumer.AsApplication<RelayConsumer>();
        await using var services = TestServices.Create(app);
        await using var first = new WebSocketCommunicator(app, "/ws/", services);
        await using var second = new WebSocketCommunicator(app, "/ws/", services);
        await first.ConnectAsync();
        await second.ConnectAsync();
        var layer = services.GetRequiredService<IChannelLayer>();
        var text = new LayerMessage("relay") { ["payload"] = "héllo" };
        var bytes = new LayerMessage("relay") { ["payload"] = new byte[] { 1, 2, 3 } };

        await layer.GroupSendAsync("relay", text);
        await layer.GroupSendAsync("relay", bytes);

        Assert.Equal("héllo", await first.ReceiveTextAsync());
        Assert.Equal("héllo", await second.ReceiveTextAsync());
        Assert.Equal(new byte[] { 1, 2, 3 }, await first.ReceiveBytesAsync());
        Assert.Equal(new byte[] { 1, 2, 3 }, await second.ReceiveBytesAsync());

        // One frame per message, shared by every member.
        var frame = text.GetOrAddDerived("payload", _ => new WebSocketSendEvent("not cached"));
        Assert.Equal("héllo", frame.Text);
    }

    [Fact]
    public async Task ChannelLayer_NoLayerRegistered_ThrowsSayingHowToRegisterOne()
    {
        var app = Consumer.AsApplication<LayerProbeConsumer>();
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        await using (services)
        {
            await using var client = new WebSocketCommunicator(app, "/ws/", services);
            await client.ConnectAsync();

            await client.SendTextAsync("probe");

            Assert.Contains("no channel layer is registered (AddSwitchboard(...)", await client.ReceiveTextAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SendAsync_ValueThatIsNeitherTextNorBytes_ClosesWith1011()
    {
        var app = Consumer.AsApplication<RelayConsumer>();
        await using var services = TestServices.Create(app);
        await using var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();

        await services.GetRequiredService<IChannelLayer>().GroupSendAsync("relay", new LayerMessage("relay") { ["payload"] = 5 });

        Assert.Equal(WebSocketCloseCode.InternalServerError, (await client.ReceiveCloseAsync()).Code);
    }

    [Fact]
    public async Task Stop_FromLayerHandlerWhileClientIsIdle_ClosesAndRunsDisconnectLogic()
    {
        var app = Consumer.AsApplication<KickableConsumer>();
        var log = new DisconnectLog();
        await using var services = TestServices.Create(app, configure: s => s.AddSingleton(log));
        await using var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();

        await services.GetRequiredService<IChannelLayer>().GroupSendAsync("kickable", new LayerMessage("kick"));

        Assert.Equal(WebSocketCloseCode.NormalClosure, (await client.ReceiveCloseAsync()).Code);
        await client.DisconnectAsync();
        Assert.Equal([WebSocketCloseCode.NormalClosure], log.Codes);
    }

    [Fact]
    public async Task Constructor_ScopedServices_OnePerConnection()
    {
        var app = Consumer.AsApplication<ScopedServiceConsumer>();
        await using var services = TestServices.Create(app, configure: s => s.AddScoped<ConnectionState>());
        await using var first = new WebSocketCommunicator(app, "/ws/", services);
        await using var second = new WebSocketCommunicator(app, "/ws/", services);
        await first.ConnectAsync();
        await second.ConnectAsync();

        await first.SendTextAsync("a");
        await first.SendTextAsync("b");
        await second.SendTextAsync("c");

        var firstId = await first.ReceiveTextAsync();
        Assert.Equal(firstId, await first.ReceiveTextAsync());
        Assert.NotEqual(firstId, await second.ReceiveTextAsync());
    }

    [Fact]
    public async Task Scope_IsAvailableToHooks()
    {
        await using var client = new WebSocketCommunicator(
            Consumer.AsApplication<ScopeReportingConsumer>(), "/ws/a%20b/?x=1", headers: [new("Origin", "http://example.com")]);
        await client.ConnectAsync();

        Assert.Equal("/ws/a b/|x=1|http://example.com", await client.ReceiveTextAsync());
    }

    public sealed class DisconnectLog
    {
        private readonly List<int> _codes = [];

        public int[] Codes
        {
            get
            {
                lock (_codes)
                {
                    return [.. _codes];
                }
            }
        }

        public void Add(int code)
        {
            lock (_codes)
            {
                _codes.Add(code);
            }
        }
    }

    /// <summary>An in-memory layer whose group discard fails, as a network layer does when its server is gone.</summary>
    private sealed class FailingDiscardLayer : IChannelLayer
    {
        private readonly InMemoryChannelLayer _inner = new();

        public ValueTask SendAsync(string channel, LayerMessage message, CancellationToken cancellationToken = default) => _inner.SendAsync(channel, message, cancellationToken);

        public ValueTask<LayerMessage> ReceiveAsync(string channel, CancellationToken cancellationToken = default) => _inner.ReceiveAsync(channel, cancellationToken);

        public ValueTask<string> NewChannelAsync(string prefix = "specific", CancellationToken cancellationToken = default) => _inner.NewChannelAsync(prefix, cancellationToken);

        public ValueTask GroupAddAsync(string group, string channel, CancellationToken cancellationToken = default) => _inner.GroupAddAsync(group, channel, cancellationToken);

        public ValueTask GroupDiscardAsync(string group, string channel, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new InvalidOperationException("layer down"));

        public ValueTask GroupSendAsync(string group, LayerMessage message, CancellationToken cancellationToken = default) => _inner.GroupSendAsync(group, message, cancellationToken);

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);
    }

    public sealed class ConnectionState
    {
        public string Id { get; } = Guid.NewGuid().ToString("N");
    }

    private sealed class SilentConsumer : WebSocketConsumer;

    private sealed class RefusingConsumer : WebSocketConsumer
    {
        protected override ValueTask OnConnectAsync(CancellationToken cancellationToken) => CloseAsync(4003, cancellationToken: cancellationToken);
    }

    private sealed class SubprotocolConsumer : WebSocketConsumer
    {
        protected override ValueTask OnConnectAsync(CancellationToken cancellationToken) =>
            AcceptAsync(Scope.Subprotocols.Last(), cancellationToken);
    }

    private sealed class KindEchoConsumer : WebSocketConsumer
    {
        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken) => SendAsync("text:" + text, cancellationToken);

        protected override ValueTask OnBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => SendAsync(data.ToArray(), cancellationToken);
    }

    private sealed class RoomConsumer(DisconnectLog? log = null) : WebSocketConsumer
    {
        public const string Room = "room";

        protected override IEnumerable<string> Groups => [Room];

        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken) =>
            GroupSendAsync(Room, new LayerMessage("room.message") { ["text"] = text }, cancellationToken);

        protected override ValueTask OnDisconnectAsync(int closeCode, CancellationToken cancellationToken)
        {
            log?.Add(closeCode);
            return ValueTask.CompletedTask;
        }

        public ValueTask RoomMessageAsync(LayerMessage message, CancellationToken cancellationToken) =>
            SendAsync(message.GetString("text"), cancellationToken);
    }

    private sealed class FailingConsumer(DisconnectLog log) : WebSocketConsumer
    {
        protected override IEnumerable<string> Groups => ["failing"];

        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken) => text == "boom"
            ? throw new InvalidOperationException("boom")
            : GroupSendAsync("failing", new LayerMessage("echo") { ["text"] = text }, cancellationToken);

        public ValueTask EchoAsync(LayerMessage message) => SendAsync(message.GetString("text"));

        protected override ValueTask OnDisconnectAsync(int closeCode, CancellationToken cancellationToken)
        {
            log.Add(closeCode);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ThrowOnConnectConsumer : WebSocketConsumer
    {
        protected override ValueTask OnConnectAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("no");
    }

    private sealed class StoppingConsumer(DisconnectLog log) : WebSocketConsumer
    {
        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken)
        {
            Stop();
            return ValueTask.CompletedTask;
        }

        protected override ValueTask OnDisconnectAsync(int closeCode, CancellationToken cancellationToken)
        {
            log.Add(closeCode);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class LayerProbeConsumer : WebSocketConsumer
    {
        protected override async ValueTask OnTextAsync(string text, CancellationToken cancellationToken)
        {
            try
            {
                _ = ChannelLayer;
                await SendAsync("a layer", cancellationToken);
            }
            catch (InvalidOperationException error)
            {
                await SendAsync(error.Message, cancellationToken);
            }
        }
    }

    private sealed class RelayConsumer : WebSocketConsumer
    {
        protected override IEnumerable<string> Groups => ["relay"];

        public ValueTask RelayAsync(LayerMessage message, CancellationToken cancellationToken) => SendAsync(message, "payload", cancellationToken);
    }

    private sealed class KickableConsumer(DisconnectLog log) : WebSocketConsumer
    {
        protected override IEnumerable<string> Groups => ["kickable"];

        public ValueTask KickAsync(LayerMessage message)
        {
            Stop();
            return ValueTask.CompletedTask;
        }

        protected override ValueTask OnDisconnectAsync(int closeCode, CancellationToken cancellationToken)
        {
            log.Add(closeCode);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ScopedServiceConsumer(ConnectionState state) : WebSocketConsumer
    {
        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken) => SendAsync(state.Id, cancellationToken);
    }

    private sealed class ScopeReportingConsumer : WebSocketConsumer
    {
        protected override async ValueTask OnConnectAsync(CancellationToken cancellationToken)
        {
            await AcceptAsync(cancellationToken: cancellationToken);
            await SendAsync($"{Scope.Path}|{Scope.QueryString}|{Scope.GetHeader("origin")}", cancellationToken);
        }
    }
}
