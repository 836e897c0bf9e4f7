using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.FunctionalTests.Infrastructure;
using Switchboard.Functions;
using Switchboard.Routing;
using Xunit.Abstractions;

namespace Switchboard.FunctionalTests.Server;

/// <summary>
/// Many connections each send thousands of frames while group messages keep arriving: every consumer, class and
/// function style, sees its connection's events in order, connect first and disconnect last, nothing lost from the client.
/// </summary>
public class OrderingUnderLoadTests(ITestOutputHelper output)
{
    private const int ConnectionsPerStyle = 12;
    private const int FramesPerConnection = 2000;
    private const string Group = "load";

    [Fact]
    public async Task ManyConnections_ThousandsOfFrames_WithGroupTraffic_EveryConsumerSeesItsEventsInOrder()
    {
        var recorder = new Recorder(2 * ConnectionsPerStyle);
        var application = new ProtocolTypeRouter
        {
            ["websocket"] = new UrlRouter()
                .Map<RecordingConsumer>("ws/class/")
                .Map("ws/function/", FunctionRoutes(recorder)),
        };
        await using var server = await KestrelTestServer.StartAsync(application, configureBuilder: b => b.Services.AddSingleton(recorder));
        var layer = server.Services.GetRequiredService<IChannelLayer>();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var clients = Enumerable.Range(0, 2 * ConnectionsPerStyle)
            .Select(i => RunClientAsync(server, i % 2 == 0 ? "/ws/class/" : "/ws/function/"))
            .ToList();
        using var stopTicks = new CancellationTokenSource();
        var ticks = SendTicksAsync(layer, stopTicks.Token);

        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(60));
        await stopTicks.CancelAsync();
        var sent = await ticks;
        var logs = await recorder.All.WaitAsync(TimeSpan.FromSeconds(30));
        var elapsed = clock.Elapsed;

        Assert.Equal(2 * ConnectionsPerStyle, logs.Count);
        var ticksSeen = 0;
        foreach (var (style, events) in logs)
        {
            Assert.True(events[0] == "connect", $"{style}: first event {events[0]}");
            Assert.True(events[^1] == "disconnect", $"{style}: last event {events[^1]}");
            var frames = events.Where(static e => e.StartsWith("frame ", StringComparison.Ordinal)).Select(static e => int.Parse(e[6..], CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, FramesPerConnection), frames);
            var tickNumbers = events.Where(static e => e.StartsWith("tick ", StringComparison.Ordinal)).Select(static e => int.Parse(e[5..], CultureInfo.InvariantCulture)).ToList();
            for (var i = 1; i < tickNumbers.Count; i++)
            {
                Assert.True(tickNumbers[i] > tickNumbers[i - 1], $"{style}: tick {tickNumbers[i]} after {tickNumbers[i - 1]}");
            }

            Assert.Equal(FramesPerConnection + tickNumbers.Count + 2, events.Count);
            ticksSeen += tickNumbers.Count;
        }

        output.WriteLine(FormattableString.Invariant(
            $"{logs.Count} connections, {logs.Count * FramesPerConnection} frames, {sent} group messages sent, {ticksSeen} delivered, in {elapsed.TotalMilliseconds:F0} ms."));

        // The group traffic did interleave with the frames (a layer may drop for a full channel, so not every tick is seen).
        Assert.True(sent > 0 && ticksSeen > 0, $"sent {sent} ticks, seen {ticksSeen}");
    }

    private static async Task RunClientAsync(KestrelTestServer server, string path)
    {
        using var socket = await server.ConnectAsync(path);
        for (var i = 0; i < FramesPerConnection; i++)
        {
            await socket.SendTextAsync(i.ToString(CultureInfo.InvariantCulture));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).DefaultTimeout();
    }

    private static async Task<int> SendTicksAsync(IChannelLayer layer, CancellationToken cancellationToken)
    {
        var sent = 0;
        for (; sent < 100_000 && !cancellationToken.IsCancellationRequested; sent++)
        {
            await layer.GroupSendAsync(Group, new LayerMessage("load.tick") { ["seq"] = (long)sent }, CancellationToken.None);
            if (sent % 20 == 0)
            {
                await Task.Delay(1, CancellationToken.None);
            }
        }

        return sent;
    }

    private static FunctionRouter FunctionRoutes(Recorder recorder) => new FunctionRouter()
        .Route(EventTypes.WebSocketConnect, async (m, ct) =>
        {
            m.ChannelSession["log"] = new List<string> { "connect" };
            await m.GroupAddAsync(Group, ct);
            await m.ReplyChannel.AcceptAsync(cancellationToken: ct);
        })
        .Route(EventTypes.WebSocketReceive, (m, ct) =>
        {
            Log(m).Add("frame " + m.Text);
            return default;
        })
        .Route("load.tick", (m, ct) =>
        {
            Log(m).Add("tick " + m["seq"]);
            return default;
        })
        .Route(EventTypes.WebSocketDisconnect, (m, ct) =>
        {
            var log = Log(m);
            log.Add("disconnect");
            recorder.Add("function", log);
            return default;
        });

    private static List<string> Log(FunctionMessage message) => (List<string>)message.ChannelSession["log"]!;

    public sealed class Recorder(int expected)
    {
        private readonly ConcurrentQueue<(string Style, List<string> Events)> _logs = new();
        private readonly TaskCompletionSource<List<(string Style, List<string> Events)>> _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<List<(string Style, List<string> Events)>> All => _all.Task;

        public void Add(string style, List<string> events)
        {
            _logs.Enqueue((style, events));
            if (_logs.Count == expected)
            {
                _all.TrySetResult([.. _logs]);
            }
        }
    }

    private sealed class RecordingConsumer(Recorder recorder) : WebSocketConsumer
    {
        private readonly List<string> _events = [];

        protected override IEnumerable<string> Groups => [Group];

        protected override ValueTask OnConnectAsync(CancellationToken cancellationToken)
        {
            _events.Add("connect");
            return AcceptAsync(cancellationToken: cancellationToken);
        }

        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken)
        {
            _events.Add("frame " + text);
            return default;
        }

        public ValueTask LoadTickAsync(LayerMessage message, CancellationToken cancellationToken)
        {
            _events.Add("tick " + message.GetInt64("seq").ToString(CultureInfo.InvariantCulture));
            return default;
        }

        protected override ValueTask OnDisconnectAsync(int closeCode, CancellationToken cancellationToken)
        {
            _events.Add("disconnect");
            recorder.Add("class", _events);
            return default;
        }
    }
}
