using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Testing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Consumers;

/// <summary>However a consumer ends, the base class runs one end sequence: close if open, leave every group once, then
/// the disconnect hook once.</summary>
public class ConsumerEndSequenceTests
{
    public enum EndCause
    {
        ClientCloses,
        ConsumerStops,
        HandlerThrows,
        MessagesDropped,
    }

    [Theory]
    [InlineData(EndCause.ClientCloses, 4001)]
    [InlineData(EndCause.ConsumerStops, WebSocketCloseCode.NormalClosure)]
    [InlineData(EndCause.HandlerThrows, WebSocketCloseCode.InternalServerError)]
    [InlineData(EndCause.MessagesDropped, WebSocketCloseCode.PolicyViolation)]
    public async Task End_AnyCause_LeavesEveryGroupOnceThenRunsTheDisconnectHookOnce(EndCause cause, int expectedCode)
    {
        var app = Consumer.AsApplication<RecordingConsumer>();
        var journal = new Journal();
        var layer = new RecordingLayer(journal);
        await using var services = TestServices.Create(app, configure: s => s.AddSingleton(journal).AddSingleton<IChannelLayer>(layer));
        await using var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();
        await client.SendTextAsync("join");
        Assert.Equal("joined", await client.ReceiveTextAsync());

        switch (cause)
        {
            case EndCause.ClientCloses:
                await client.DisconnectAsync(4001);
                break;
            case EndCause.ConsumerStops:
                await client.SendTextAsync("stop");
                break;
            case EndCause.HandlerThrows:
                await client.SendTextAsync("throw");
                break;
            case EndCause.MessagesDropped:
                await layer.SendAsync(journal.Channel!, DroppedMessages.Create(3, DroppedMessages.Budget));
                break;
        }

        if (cause != EndCause.ClientCloses)
        {
            var close = await client.ReceiveCloseAsync();
            Assert.Equal(expectedCode, close.Code);
            if (cause == EndCause.MessagesDropped)
            {
                Assert.Equal(WebSocketConsumer.MessagesDroppedCloseReason, close.Reason);
            }

            await client.DisconnectAsync();
        }

        await journal.Ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await client.WaitAsync();
        Assert.Equal(3, journal.Entries.Count);
        Assert.Equal(["discard adhoc", "discard declared"], journal.Entries.Take(2).Order(StringComparer.Ordinal));
        Assert.Equal($"disconnect {expectedCode}", journal.Entries[2]);
    }

    [Fact]
    public async Task Handler_CancelledBecauseTheClientLeft_LogsDebugNotError()
    {
        var app = Consumer.AsApplication<RecordingConsumer>();
        var journal = new Journal();
        var logs = new TestLoggerProvider();
        await using var services = TestServices.Create(app, logs, s => s.AddSingleton(journal));
        var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();

        await client.SendTextAsync("wait");
        await journal.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The connection goes away while the handler waits on the connection's token.
        await client.DisposeAsync();

        await journal.Ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(logs.AtLeast(LogLevel.Warning), e => e.Exception is OperationCanceledException);
        Assert.Contains(logs.AtLeast(LogLevel.Debug), e => e.EventId.Name == "HandlerCanceled");
    }

    public sealed class Journal
    {
        public List<string> Entries { get; } = [];

        public string? Channel { get; set; }

        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(string entry)
        {
            lock (Entries)
            {
                Entries.Add(entry);
            }
        }
    }

    private sealed class RecordingConsumer(Journal journal) : WebSocketConsumer
    {
        protected override IEnumerable<string> Groups => ["declared"];

        protected override async ValueTask OnTextAsync(string text, CancellationToken cancellationToken)
        {
            switch (text)
            {
                case "join":
                    journal.Channel = ChannelName;
                    await GroupAddAsync("adhoc", cancellationToken);
                    await SendAsync("joined", cancellationToken);
                    break;
                case "stop":
                    Stop();
                    break;
                case "wait":
                    journal.Waiting.TrySetResult();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException("boom");
            }
        }

        protected override ValueTask OnDisconnectAsync(int closeCode, CancellationToken cancellationToken)
        {
            journal.Add($"disconnect {closeCode}");
            journal.Ended.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class RecordingLayer(Journal journal) : IChannelLayer
    {
        private readonly InMemoryChannelLayer _inner = new();

        public ValueTask SendAsync(string channel, LayerMessage message, CancellationToken cancellationToken = default) => _inner.SendAsync(channel, message, cancellationToken);

        public ValueTask<LayerMessage> ReceiveAsync(string channel, CancellationToken cancellationToken = default) => _inner.ReceiveAsync(channel, cancellationToken);

        public ValueTask<string> NewChannelAsync(string prefix = "specific", CancellationToken cancellationToken = default) => _inner.NewChannelAsync(prefix, cancellationToken);

        public ValueTask GroupAddAsync(string group, string channel, CancellationToken cancellationToken = default) => _inner.GroupAddAsync(group, channel, cancellationToken);

        public ValueTask GroupDiscardAsync(string group, string channel, CancellationToken cancellationToken = default)
        {
            journal.Add($"discard {group}");
            return _inner.GroupDiscardAsync(group, channel, cancellationToken);
        }

        public ValueTask GroupSendAsync(string group, LayerMessage message, CancellationToken cancellationToken = default) => _inner.GroupSendAsync(group, message, cancellationToken);

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);
    }
}
