using Switchboard.Testing;
using Microsoft.Extensions.DependencyInjection;
using System.Net.WebSockets;
using System.Threading.Channels;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Server;

public class WebSocketHandshakeTests
{
    [Fact]
    public async Task Connect_ApplicationAccepts_ConnectIsFirstEventAndMessagesFlow()
    {
        var events = Channel.CreateUnbounded<ApplicationEvent>();
        await using var server = await KestrelTestServer.StartAsync(TestApplications.Recording(events.Writer));
        using var client = await server.ConnectAsync("/ws/");

        Assert.IsType<WebSocketConnectEvent>(await events.Reader.ReadAsync().DefaultTimeout());
        await client.SendTextAsync("hello");
        var received = Assert.IsType<WebSocketReceiveEvent>(await events.Reader.ReadAsync().DefaultTimeout());
        Assert.Equal("hello", received.Text);
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Connect_ApplicationClosesBeforeAccept_Refuses403()
    {
        var disconnected = new TaskCompletionSource<ApplicationEvent>();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketCloseEvent(), default);
            disconnected.TrySetResult(await receive(default));
        }));

        Assert.Equal(403, await server.ConnectExpectingRefusalAsync("/ws/"));
        Assert.IsType<WebSocketDisconnectEvent>(await disconnected.Task.DefaultTimeout());
    }

    [Fact]
    public async Task Connect_ApplicationClosesWith1011BeforeAccept_Refuses500()
    {
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketCloseEvent(WebSocketCloseCode.InternalServerError), default);
        }));

        Assert.Equal(500, await server.ConnectExpectingRefusalAsync("/ws/"));
    }

    [Fact]
    public async Task Connect_ApplicationReturnsBeforeAccept_Refuses403()
    {
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) => await receive(default)));

        Assert.Equal(403, await server.ConnectExpectingRefusalAsync("/ws/"));
        await server.Logs.WaitForEventAsync("ApplicationReturnedBeforeAccept").DefaultTimeout();
    }

    [Fact]
    public async Task Connect_ApplicationThrowsBeforeAccept_Refuses500AndLogsError()
    {
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal(500, await server.ConnectExpectingRefusalAsync("/ws/"));
        var entry = await server.Logs.WaitForEventAsync("ApplicationFailed").DefaultTimeout();
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, entry.Level);
        Assert.Equal("boom", entry.Exception?.Message);
    }

    [Fact]
    public async Task Send_BeforeAccept_ThrowsInvalidOperationException()
    {
        var failure = new TaskCompletionSource<Exception>();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            failure.TrySetResult(await Assert.ThrowsAsync<InvalidOperationException>(async () => await send(new WebSocketSendEvent("too early"), default)));
            await send(new WebSocketCloseEvent(), default);
        }));

        Assert.Equal(403, await server.ConnectExpectingRefusalAsync("/ws/"));
        Assert.Contains("WebSocketAcceptEvent", (await failure.Task.DefaultTimeout()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_ApplicationNeverAccepts_Refuses503AfterAcceptTimeoutAndApplicationIsToldDisconnect()
    {
        var time = new ManualTimeProvider();
        var timeout = TimeSpan.FromSeconds(5);
        var received = Channel.CreateUnbounded<ApplicationEvent>();
        await using var server = await KestrelTestServer.StartAsync(
            IApplication.Create(async (scope, receive, send) =>
            {
                await received.Writer.WriteAsync(await receive(default));
                await received.Writer.WriteAsync(await receive(default));
            }),
            options => options.AcceptTimeout = timeout,
            builder => builder.Services.AddSingleton<TimeProvider>(time));

        var refusal = server.ConnectExpectingRefusalAsync("/ws/");
        Assert.IsType<WebSocketConnectEvent>(await received.Reader.ReadAsync().DefaultTimeout());
        await time.WaitForTimerAsync(timeout).DefaultTimeout();
        time.Advance(timeout);

        Assert.Equal(503, await refusal);
        var disconnect = Assert.IsType<WebSocketDisconnectEvent>(await received.Reader.ReadAsync().DefaultTimeout());
        Assert.Equal(WebSocketCloseCode.AbnormalClosure, disconnect.Code);
        var warning = await server.Logs.WaitForEventAsync("AcceptTimedOut").DefaultTimeout();
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
    }

    [Fact]
    public async Task Connect_Refused_ClientGetsTheStatusWhileTheApplicationStillRuns()
    {
        var release = new TaskCompletionSource();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketCloseEvent(), default);
            await release.Task;
        }),
        options => options.ApplicationCloseTimeout = TimeSpan.FromMinutes(1));

        Assert.Equal(403, await server.ConnectExpectingRefusalAsync("/ws/"));
        release.TrySetResult();
    }

    [Fact]
    public async Task Accept_WithOfferedSubprotocol_ClientSeesIt()
    {
        var events = Channel.CreateUnbounded<ApplicationEvent>();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            Assert.Equal(["chat.v2", "chat.v1"], scope.Subprotocols);
            await send(new WebSocketAcceptEvent("chat.v1"), default);
            await receive(default);
        }));

        using var client = await server.ConnectAsync("/ws/", options =>
        {
            options.AddSubProtocol("chat.v2");
            options.AddSubProtocol("chat.v1");
        });

        Assert.Equal("chat.v1", client.SubProtocol);
    }

    [Fact]
    public async Task Accept_WithSubprotocolNotOffered_ThrowsInvalidOperationException()
    {
        var failure = new TaskCompletionSource<Exception>();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            failure.TrySetResult(await Assert.ThrowsAsync<InvalidOperationException>(async () => await send(new WebSocketAcceptEvent("other"), default)));
            await send(new WebSocketCloseEvent(), default);
        }));

        Assert.Equal(403, await server.ConnectExpectingRefusalAsync("/ws/", options => options.AddSubProtocol("chat.v1")));
        Assert.Contains("chat.v1", (await failure.Task.DefaultTimeout()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_Twice_ThrowsInvalidOperationException()
    {
        var failure = new TaskCompletionSource<Exception>();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new WebSocketAcceptEvent(), default);
            failure.TrySetResult(await Assert.ThrowsAsync<InvalidOperationException>(async () => await send(new WebSocketAcceptEvent(), default)));
            await receive(default);
        }));

        using var client = await server.ConnectAsync("/ws/");
        Assert.Contains("already accepted", (await failure.Task.DefaultTimeout()).Message, StringComparison.Ordinal);
    }
}
