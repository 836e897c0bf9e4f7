using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Server;

public class WebSocketMessagingTests
{
    [Fact]
    public async Task Echo_TextBinaryAndEmptyMessages_KindsAndPayloadsPreserved()
    {
        await using var server = await KestrelTestServer.StartAsync(TestApplications.Echo());
        using var client = await server.ConnectAsync("/ws/echo/");

        await client.SendTextAsync("héllo");
        await client.SendBinaryAsync([1, 2, 3]);
        await client.SendTextAsync("");
        await client.SendBinaryAsync([]);

        var text = await client.ReceiveMessageAsync();
        Assert.Equal((WebSocketMessageType.Text, "héllo"), (text.Type, text.Text));
        var binary = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, binary.Type);
        Assert.Equal([1, 2, 3], binary.Data);
        var emptyText = await client.ReceiveMessageAsync();
        Assert.Equal((WebSocketMessageType.Text, 0), (emptyText.Type, emptyText.Data.Length));
        var emptyBinary = await client.ReceiveMessageAsync();
        Assert.Equal((WebSocketMessageType.Binary, 0), (emptyBinary.Type, emptyBinary.Data.Length));
    }

    [Fact]
    public async Task Receive_FragmentedMessage_ArrivesAsOneEvent()
    {
        var events = Channel.CreateUnbounded<ApplicationEvent>();
        await using var server = await KestrelTestServer.StartAsync(TestApplications.Recording(events.Writer));
        using var client = await server.ConnectAsync("/ws/");
        await events.Reader.ReadAsync().DefaultTimeout();

        var big = new string('x', 20_000);
        await client.SendAsync(Encoding.UTF8.GetBytes("frag-"), WebSocketMessageType.Text, endOfMessage: false, default).DefaultTimeout();
        await client.SendAsync(Encoding.UTF8.GetBytes(big), WebSocketMessageType.Text, endOfMessage: false, default).DefaultTimeout();
        await client.SendAsync(Encoding.UTF8.GetBytes("-end"), WebSocketMessageType.Text, endOfMessage: true, default).DefaultTimeout();
        await client.SendBinaryAsync([9]);

        var message = Assert.IsType<WebSocketReceiveEvent>(await events.Reader.ReadAsync().DefaultTimeout());
        Assert.Equal("frag-" + big + "-end", message.Text);
        var next = Assert.IsType<WebSocketReceiveEvent>(await events.Reader.ReadAsync().DefaultTimeout());
        Assert.Equal([9], next.Bytes!.Value.ToArray());
    }

    [Fact]
    public async Task Receive_MessageOverLimit_ClosesWith1009AndApplicationIsToldDisconnect()
    {
        var events = Channel.CreateUnbounded<ApplicationEvent>();
        await using var server = await KestrelTestServer.StartAsync(
            TestApplications.Recording(events.Writer), options => options.MaxIncomingMessageSize = 1000);
        using var client = await server.ConnectAsync("/ws/");
        await events.Reader.ReadAsync().DefaultTimeout();

        await client.SendBinaryAsync(new byte[1000]);
        Assert.Equal(1000, Assert.IsType<WebSocketReceiveEvent>(await events.Reader.ReadAsync().DefaultTimeout()).Data.Length);

        await client.SendBinaryAsync(new byte[50_000]);

        Assert.Equal((WebSocketCloseStatus)WebSocketCloseCode.MessageTooBig, await client.ReceiveCloseAsync());
        Assert.Equal(WebSocketCloseCode.MessageTooBig, Assert.IsType<WebSocketDisconnectEvent>(await events.Reader.ReadAsync().DefaultTimeout()).Code);
        Assert.Equal(LogLevel.Warning, (await server.Logs.WaitForEventAsync("MessageTooBig").DefaultTimeout()).Level);
    }

    [Fact]
    public async Task Close_ByApplicationWithCode_QueuedMessagesGoFirstAndClientSeesCodeAndReason()
    {
        var disconnected = new TaskCompletionSource<ApplicationEvent>();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketAcceptEvent(), default);
            for (var i = 0; i < 3; i++)
            {
                await send(new WebSocketSendEvent($"m{i}"), default);
            }

            await send(new WebSocketCloseEvent(4001, "bye"), default);
            disconnected.TrySetResult(await receive(default));
        }));
        using var client = await server.ConnectAsync("/ws/");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"m{i}", (await client.ReceiveMessageAsync()).Text);
        }

        Assert.Equal((WebSocketCloseStatus)4001, await client.ReceiveCloseAsync());
        Assert.Equal("bye", client.CloseStatusDescription);
        Assert.Equal(4001, Assert.IsType<WebSocketDisconnectEvent>(await disconnected.Task.DefaultTimeout()).Code);
    }

    [Fact]
    public async Task Close_ByClientWithCode_ApplicationGetsTheCodeAndServerAnswersTheClose()
    {
        var disconnected = new TaskCompletionSource<WebSocketDisconnectEvent>();
        await using var server = await KestrelTestServer.StartAsync(TestApplications.Echo(disconnected));
        using var client = await server.ConnectAsync("/ws/");

        await client.CloseAsync((WebSocketCloseStatus)4002, "leaving", default).DefaultTimeout();

        Assert.Equal(4002, (await disconnected.Task.DefaultTimeout()).Code);
        Assert.Equal(WebSocketState.Closed, client.State);
        Assert.Equal((WebSocketCloseStatus)4002, client.CloseStatus);
    }

    [Fact]
    public async Task Close_ByClientWithoutCode_ApplicationGetsNormalClosureAndServerAnswers1000()
    {
        // RFC 6455 calls this 1005 (no status received), but .NET's WebSocket reports a close frame without a code as
        // 1000, indistinguishable from a real 1000; the server maps a reported Empty status to 1005 should it ever appear.
        var disconnected = new TaskCompletionSource<WebSocketDisconnectEvent>();
        await using var server = await KestrelTestServer.StartAsync(TestApplications.Echo(disconnected));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/"));

        await client.SendFrameAsync(opcode: 0x8, payload: []);

        Assert.Equal(WebSocketCloseCode.NormalClosure, (await disconnected.Task.DefaultTimeout()).Code);
        var answer = new byte[4];
        await client.Stream.ReadExactlyAsync(answer).DefaultTimeout();
        Assert.Equal(new byte[] { 0x88, 0x02, 0x03, 0xE8 }, answer);
    }

    [Fact]
    public async Task Close_ClientDropsConnection_ApplicationGets1006()
    {
        var disconnected = new TaskCompletionSource<WebSocketDisconnectEvent>();
        await using var server = await KestrelTestServer.StartAsync(TestApplications.Echo(disconnected));
        var client = await server.ConnectAsync("/ws/");
        await client.SendTextAsync("ping");
        await client.ReceiveMessageAsync();

        client.Abort();
        client.Dispose();

        Assert.Equal(WebSocketCloseCode.AbnormalClosure, (await disconnected.Task.DefaultTimeout()).Code);
    }

    [Fact]
    public async Task ApplicationReturns_WhileOpen_ClosesWith1000()
    {
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketAcceptEvent(), default);
            await send(new WebSocketSendEvent("last"), default);
        }));
        using var client = await server.ConnectAsync("/ws/");

        Assert.Equal("last", (await client.ReceiveMessageAsync()).Text);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task ApplicationThrows_AfterAccept_ClosesWith1011AndLogsError()
    {
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketAcceptEvent(), default);
            await receive(default);
            throw new InvalidOperationException("handler failed");
        }));
        using var client = await server.ConnectAsync("/ws/");

        await client.SendTextAsync("trigger");

        Assert.Equal(WebSocketCloseStatus.InternalServerError, await client.ReceiveCloseAsync());
        var entry = await server.Logs.WaitForEventAsync("ApplicationFailed").DefaultTimeout();
        Assert.Equal("handler failed", entry.Exception?.Message);
    }

    [Fact]
    public async Task Send_AfterClose_IsIgnoredAndLogged()
    {
        var sentAfterClose = new TaskCompletionSource();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketAcceptEvent(), default);
            await send(new WebSocketCloseEvent(), default);
            await send(new WebSocketSendEvent("ignored"), default);
            await send(new WebSocketCloseEvent(4000), default);
            sentAfterClose.TrySetResult();
        }));
        using var client = await server.ConnectAsync("/ws/");

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveCloseAsync());
        await sentAfterClose.Task.DefaultTimeout();
        await server.Logs.WaitForEventAsync("MessageIgnoredAfterClose").DefaultTimeout();
    }

    [Fact]
    public async Task Receive_AfterDisconnect_ReturnsTheDisconnectAgain()
    {
        var events = new TaskCompletionSource<(ApplicationEvent, ApplicationEvent)>();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketAcceptEvent(), default);
            var first = await receive(default);
            events.TrySetResult((first, await receive(default)));
        }));
        using var client = await server.ConnectAsync("/ws/");

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, default).DefaultTimeout();

        var (first, second) = await events.Task.DefaultTimeout();
        Assert.Same(first, second);
        Assert.Equal(WebSocketCloseCode.NormalClosure, Assert.IsType<WebSocketDisconnectEvent>(first).Code);
    }

    [Fact]
    public async Task Receive_Cancelled_AbortsTheConnection()
    {
        var outcome = new TaskCompletionSource<ApplicationEvent>();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketAcceptEvent(), default);
            await receive(default);
            using var cancel = new CancellationTokenSource();
            var pending = receive(cancel.Token);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
            outcome.TrySetResult(await receive(default));
        }));
        using var client = await server.ConnectAsync("/ws/");
        await client.SendTextAsync("go");

        Assert.Equal(WebSocketCloseCode.AbnormalClosure, Assert.IsType<WebSocketDisconnectEvent>(await outcome.Task.DefaultTimeout()).Code);
        await Assert.ThrowsAsync<WebSocketException>(() => client.ReceiveMessageAsync());
    }

    [Fact]
    public async Task Receive_WithAnAlreadyCancelledTokenAndNothingWaiting_ThrowsAndAbortsTheConnection()
    {
        var outcome = new TaskCompletionSource<ApplicationEvent>();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketAcceptEvent(), default);
            await receive(default);
            using var cancel = new CancellationTokenSource();
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await receive(cancel.Token));
            outcome.TrySetResult(await receive(default));
        }));
        using var client = await server.ConnectAsync("/ws/");
        await client.SendTextAsync("go");

        Assert.Equal(WebSocketCloseCode.AbnormalClosure, Assert.IsType<WebSocketDisconnectEvent>(await outcome.Task.DefaultTimeout()).Code);
        await Assert.ThrowsAsync<WebSocketException>(() => client.ReceiveMessageAsync());
    }

    [Fact]
    public async Task Receive_ManyMessagesWhileTheApplicationIsSlow_ArriveInOrderOneAtATime()
    {
        // The inbox holds one message; the receive loop waits for the slot, so every message arrives, in order.
        const int count = 500;
        var received = new TaskCompletionSource<List<string>>();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketAcceptEvent(), default);
            var texts = new List<string>();
            while (texts.Count < count)
            {
                if (texts.Count % 50 == 0)
                {
                    await Task.Delay(10);
                }

                texts.Add(Assert.IsType<WebSocketReceiveEvent>(await receive(default)).Text!);
            }

            received.TrySetResult(texts);
        }));
        using var client = await server.ConnectAsync("/ws/");
        for (var i = 0; i < count; i++)
        {
            await client.SendTextAsync($"m{i}");
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"m{i}"), await received.Task.DefaultTimeout());
    }

    [Fact]
    public async Task Close_WithReservedCode_ThrowsArgumentException()
    {
        var failure = new TaskCompletionSource<Exception>();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketAcceptEvent(), default);
            failure.TrySetResult(await Assert.ThrowsAsync<ArgumentException>(async () => await send(new WebSocketCloseEvent(1006), default)));
        }));
        using var client = await server.ConnectAsync("/ws/");

        Assert.Contains("3000-4999", (await failure.Task.DefaultTimeout()).Message, StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveCloseAsync());
    }
}
