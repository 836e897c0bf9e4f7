using Switchboard.Testing;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Server;

public class WebSocketLifecycleTests
{
    [Fact]
    public async Task KeepAlive_ClientNeverAnswersPings_ConnectionIsDroppedAndApplicationGets1006()
    {
        var disconnected = new TaskCompletionSource<WebSocketDisconnectEvent>();
        await using var server = await KestrelTestServer.StartAsync(TestApplications.Echo(disconnected), options =>
        {
            options.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
            options.KeepAliveTimeout = TimeSpan.FromMilliseconds(200);
        });

        // A client only answers pings while it reads; this one never reads.
        using var client = await server.ConnectAsync("/ws/", options => options.KeepAliveInterval = TimeSpan.Zero);

        Assert.Equal(WebSocketCloseCode.AbnormalClosure, (await disconnected.Task.DefaultTimeout()).Code);
    }

    [Fact]
    public async Task HostShutdown_OpenConnection_ApplicationGets1001AndClientGetsA1001Close()
    {
        var disconnected = new TaskCompletionSource<WebSocketDisconnectEvent>();
        await using var server = await KestrelTestServer.StartAsync(TestApplications.Echo(disconnected));
        using var client = await server.ConnectAsync("/ws/");
        await client.SendTextAsync("hello");
        await client.ReceiveMessageAsync();

        var stopping = server.StopAsync();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await client.ReceiveCloseAsync());
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, default).DefaultTimeout();
        Assert.Equal(WebSocketCloseCode.GoingAway, (await disconnected.Task.DefaultTimeout()).Code);
        await stopping;
    }

    [Fact]
    public async Task HostShutdown_HandshakeWaitingForApplication_Refuses503()
    {
        var connected = new TaskCompletionSource();
        var disconnected = new TaskCompletionSource<ApplicationEvent>();
        await using var server = await KestrelTestServer.StartAsync(IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            connected.TrySetResult();
            disconnected.TrySetResult(await receive(default));
        }));

        var refusal = server.ConnectExpectingRefusalAsync("/ws/");
        await connected.Task.DefaultTimeout();
        var stopping = server.StopAsync();

        Assert.Equal(503, await refusal);
        Assert.Equal(WebSocketCloseCode.GoingAway, Assert.IsType<WebSocketDisconnectEvent>(await disconnected.Task.DefaultTimeout()).Code);
        await stopping;
    }

    [Fact]
    public async Task ApplicationCloseTimeout_ApplicationIgnoresDisconnect_WarnsAndTheRequestCompletes()
    {
        var time = new ManualTimeProvider();
        var closeTimeout = TimeSpan.FromSeconds(10);
        var gotDisconnect = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var requestCompleted = new TaskCompletionSource();
        await using var server = await KestrelTestServer.StartAsync(
            IApplication.Create(async (scope, receive, send) =>
            {
                await receive(default);
                await send(new WebSocketAcceptEvent(), default);
                await receive(default);
                gotDisconnect.TrySetResult();
                await release.Task;
            }),
            options => options.ApplicationCloseTimeout = closeTimeout,
            builder => builder.Services.AddSingleton<TimeProvider>(time),
            app => app.Use(async (HttpContext context, RequestDelegate next) =>
            {
                await next(context);
                requestCompleted.TrySetResult();
            }));
        using var client = await server.ConnectAsync("/ws/");

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, default).DefaultTimeout();
        await gotDisconnect.Task.DefaultTimeout();
        await time.WaitForTimerAsync(closeTimeout).DefaultTimeout();
        Assert.False(requestCompleted.Task.IsCompleted, "the server waits for the application");
        time.Advance(closeTimeout);

        Assert.Equal(LogLevel.Warning, (await server.Logs.WaitForEventAsync("ApplicationCloseTimedOut").DefaultTimeout()).Level);
        await requestCompleted.Task.DefaultTimeout();
        release.TrySetResult();
    }

    [Fact]
    public async Task CloseHandshake_ClientNeverAnswersTheClose_ConnectionIsAbortedAfterTheTimeout()
    {
        var time = new ManualTimeProvider();
        var closeHandshakeTimeout = TimeSpan.FromSeconds(3);
        var requestCompleted = new TaskCompletionSource();
        await using var server = await KestrelTestServer.StartAsync(
            IApplication.Create(async (scope, receive, send) =>
            {
                await receive(default);
                await send(new WebSocketAcceptEvent(), default);
                await send(new WebSocketCloseEvent(4000), default);
            }),
            options => options.CloseHandshakeTimeout = closeHandshakeTimeout,
            builder => builder.Services.AddSingleton<TimeProvider>(time),
            app => app.Use(async (HttpContext context, RequestDelegate next) =>
            {
                await next(context);
                requestCompleted.TrySetResult();
            }));
        using var client = await server.ConnectAsync("/ws/");

        // The client reads the close but never answers it.
        Assert.Equal((WebSocketCloseStatus)4000, await client.ReceiveCloseAsync());
        await time.WaitForTimerAsync(closeHandshakeTimeout).DefaultTimeout();
        Assert.False(requestCompleted.Task.IsCompleted, "the server waits for the client's close frame");
        time.Advance(closeHandshakeTimeout);

        await requestCompleted.Task.DefaultTimeout();
        Assert.True(server.Logs.Contains("CloseHandshakeTimedOut"));
    }

    [Fact]
    public async Task MaxConnectionLifetime_TwoSocketsOpenedApart_EachClosedAtItsOwnLifetimeByTheServersSweep()
    {
        var time = new ManualTimeProvider();
        var lifetime = TimeSpan.FromSeconds(10);
        await using var server = await KestrelTestServer.StartAsync(
            TestApplications.Echo(),
            options => options.MaxConnectionLifetime = lifetime,
            builder => builder.Services.AddSingleton<TimeProvider>(time));
        using var first = await ConnectAndEchoAsync(server);

        // One timer for the server, a tenth of the lifetime apart: the socket itself holds none.
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1)).DefaultTimeout();
        time.Advance(TimeSpan.FromSeconds(6));
        using var second = await ConnectAndEchoAsync(server);
        time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await first.ReceiveCloseAsync());
        Assert.Equal("Maximum connection lifetime reached", first.CloseStatusDescription);
        await second.SendTextAsync("still open at 4 s");
        Assert.Equal("still open at 4 s", (await second.ReceiveMessageAsync()).Text);

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await second.ReceiveCloseAsync());
    }

    // Connected, and the accept finished on the server (its echo proves it): the socket's lifetime has started.
    private static async Task<ClientWebSocket> ConnectAndEchoAsync(KestrelTestServer server)
    {
        var client = await server.ConnectAsync("/ws/");
        await client.SendTextAsync("hello");
        Assert.Equal("hello", (await client.ReceiveMessageAsync()).Text);
        return client;
    }
}
