using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Testing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Consumers;

public class MessageDispatchTests
{
    [Theory]
    [InlineData("chat.message", "ChatMessage")]
    [InlineData("notify", "Notify")]
    [InlineData("user_joined", "UserJoined")]
    [InlineData("a.b-c_d", "ABCD")]
    [InlineData("chat..message", "ChatMessage")]
    public void ToMethodName_MessageType_PascalCase(string type, string method) =>
        Assert.Equal(method, MessageHandlerTable.ToMethodName(type));

    [Fact]
    public void For_SameType_ResolvedOnce()
    {
        Assert.Same(MessageHandlerTable.For(typeof(DispatchConsumer)), MessageHandlerTable.For(typeof(DispatchConsumer)));
    }

    [Fact]
    public void Find_SameTypeInANewStringEachTime_ReturnsItsHandlerWithoutAllocating()
    {
        // A network layer deserializes every message's type into a string of its own: equal, never the same instance.
        var table = MessageHandlerTable.For(typeof(DispatchConsumer));
        var plain = table.Find("plain");
        var chat = table.Find("chat.message");
        Assert.NotNull(chat);
        Assert.NotSame(plain, chat);
        var types = Enumerable.Range(0, 100).Select(_ => new string("chat.message".AsSpan())).ToArray();

        var wrong = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var type in types)
        {
            wrong += ReferenceEquals(table.Find(type), chat) ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, wrong);
        Assert.Equal(0, allocated);
        Assert.Same(plain, table.Find(new string("plain".AsSpan())));
    }

    [Fact]
    public void For_AttributeOnWrongShape_ThrowsNamingTheMethod()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MessageHandlerTable.For(typeof(BadAttributeConsumer)));
        Assert.Contains("BadAttributeConsumer.Wrong", error.Message);
    }

    [Fact]
    public void AsApplication_HandlerWithTheWrongShape_ThrowsAtStartupNamingTheFix()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Consumer.AsApplication<VoidHandlerConsumer>());

        Assert.Contains("VoidHandlerConsumer.ChatMessageAsync takes a LayerMessage", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Task ChatMessageAsync(LayerMessage message, CancellationToken cancellationToken)'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsApplication_TwoHandlersForOneName_ThrowsAtStartup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Consumer.AsApplication<TwinHandlerConsumer>());

        Assert.Contains("two handlers for the messages that map to 'ChatMessage'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chat.message", "convention:hi")]
    [InlineData("plain", "plain:hi")]
    [InlineData("weird-name", "attribute:hi")]
    [InlineData("other.name", "attribute:hi")]
    public async Task LayerMessage_DispatchedByType(string type, string expected)
    {
        var (services, client, channel) = await ConnectAsync();
        await using var _ = services;
        await using var __ = client;

        await services.GetRequiredService<IChannelLayer>().SendAsync(channel, new LayerMessage(type) { ["text"] = "hi" });

        Assert.Equal(expected, await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task LayerMessage_WithoutHandler_ClosesWith1011AndLogsTheMethodItLookedFor()
    {
        var logs = new TestLoggerProvider();
        var (services, client, channel) = await ConnectAsync(logs);
        await using var _ = services;
        await using var __ = client;

        await services.GetRequiredService<IChannelLayer>().SendAsync(channel, new LayerMessage("game.over"));

        Assert.Equal(WebSocketCloseCode.InternalServerError, (await client.ReceiveCloseAsync()).Code);
        var error = Assert.Single(logs.AtLeast(LogLevel.Error));
        Assert.Contains("GameOverAsync", error.Exception!.Message);
        Assert.Contains("[MessageHandler(\"game.over\")]", error.Exception.Message);
    }

    [Fact]
    public async Task LayerMessage_UnderscoreType_NeverReachesAMethod()
    {
        var logs = new TestLoggerProvider();
        var (services, client, channel) = await ConnectAsync(logs);
        await using var _ = services;
        await using var __ = client;

        await services.GetRequiredService<IChannelLayer>().SendAsync(channel, new LayerMessage("_plain") { ["text"] = "x" });

        Assert.Equal(WebSocketCloseCode.InternalServerError, (await client.ReceiveCloseAsync()).Code);
    }

    [Fact]
    public async Task Events_HandledOneAtATimeInOrder()
    {
        var app = Consumer.AsApplication<SlowConsumer>();
        var probe = new ConcurrencyProbe();
        await using var services = TestServices.Create(app, configure: s => s.AddSingleton(probe));
        await using var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();
        var channel = await client.ReceiveTextAsync();
        var layer = services.GetRequiredService<IChannelLayer>();

        // A slow client message is being handled while layer messages and more client messages arrive.
        await client.SendTextAsync("c1");
        await probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 5; i++)
        {
            await layer.SendAsync(channel, new LayerMessage("tick") { ["n"] = i });
        }

        await client.SendTextAsync("c2");
        Assert.True(await client.ReceiveNothingAsync());
        probe.Release.SetResult();

        var seen = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            seen.Add(await client.ReceiveTextAsync());
        }

        Assert.Equal(1, probe.MaxConcurrency);
        Assert.Equal("c1", seen[0]);
        Assert.Equal(["t0", "t1", "t2", "t3", "t4"], seen.Where(s => s.StartsWith('t')));
        Assert.Contains("c2", seen);
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task ChannelLayerAlias_ResolvesKeyedLayer()
    {
        var app = Consumer.AsApplication<AliasConsumer>();
        using var other = new InMemoryChannelLayer(new InMemoryChannelLayerOptions(), TimeProvider.System);
        await using var services = TestServices.Create(app, configure: s => s.AddKeyedSingleton<IChannelLayer>("other", other));
        await using var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();
        var channel = await client.ReceiveTextAsync();

        await other.SendAsync(channel, new LayerMessage("ping"));

        Assert.Equal("pong", await client.ReceiveTextAsync());
        await client.DisconnectAsync();
    }

    private static async Task<(ServiceProvider Services, WebSocketCommunicator Client, string Channel)> ConnectAsync(TestLoggerProvider? logs = null)
    {
        var app = Consumer.AsApplication<DispatchConsumer>();
        var services = TestServices.Create(app, logs);
        var client = new WebSocketCommunicator(app, "/ws/", services);
        Assert.True((await client.ConnectAsync()).Accepted);
        return (services, client, await client.ReceiveTextAsync());
    }

    public sealed class ConcurrencyProbe
    {
        private int _current;
        private int _max;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int MaxConcurrency => Volatile.Read(ref _max);

        public IDisposable Enter()
        {
            var now = Interlocked.Increment(ref _current);
            int max;
            while (now > (max = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, max) != max)
            {
            }

            return new Exit(this);
        }

        private sealed class Exit(ConcurrencyProbe probe) : IDisposable
        {
            public void Dispose() => Interlocked.Decrement(ref probe._current);
        }
    }

    /// <summary>Sends its channel name on connect, so that tests can address it.</summary>
    private abstract class ReportingConsumer : WebSocketConsumer
    {
        protected override async ValueTask OnConnectAsync(CancellationToken cancellationToken)
        {
            await AcceptAsync(cancellationToken: cancellationToken);
            await SendAsync(ChannelName!, cancellationToken);
        }
    }

    private sealed class DispatchConsumer : ReportingConsumer
    {
        public Task ChatMessageAsync(LayerMessage message, CancellationToken cancellationToken) =>
            SendAsync("convention:" + message.GetString("text"), cancellationToken).AsTask();

        public ValueTask Plain(LayerMessage message) => SendAsync("plain:" + message.GetString("text"));

        [MessageHandler("weird-name")]
        [MessageHandler("other.name")]
        private ValueTask Handle(LayerMessage message) => SendAsync("attribute:" + message.GetString("text"));
    }

    private sealed class VoidHandlerConsumer : WebSocketConsumer
    {
        public void ChatMessageAsync(LayerMessage message)
        {
        }
    }

    private sealed class TwinHandlerConsumer : WebSocketConsumer
    {
        public Task ChatMessageAsync(LayerMessage message) => Task.CompletedTask;

        public Task ChatMessage(LayerMessage message) => Task.CompletedTask;
    }

    private sealed class BadAttributeConsumer : WebSocketConsumer
    {
        [MessageHandler("x")]
        public void Wrong(LayerMessage message)
        {
        }
    }

    private sealed class SlowConsumer(ConcurrencyProbe probe) : ReportingConsumer
    {
        protected override async ValueTask OnTextAsync(string text, CancellationToken cancellationToken)
        {
            using (probe.Enter())
            {
                if (text == "c1")
                {
                    probe.Entered.SetResult();
                    await probe.Release.Task;
                }

                await SendAsync(text, cancellationToken);
            }
        }

        public async ValueTask TickAsync(LayerMessage message, CancellationToken cancellationToken)
        {
            using (probe.Enter())
            {
                await Task.Yield();
                await SendAsync("t" + message.GetInt64("n"), cancellationToken);
            }
        }
    }

    private sealed class AliasConsumer : ReportingConsumer
    {
        protected override string? ChannelLayerAlias => "other";

        public ValueTask PingAsync(LayerMessage message) => SendAsync("pong");
    }
}
