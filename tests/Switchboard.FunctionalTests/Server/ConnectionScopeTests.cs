using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Server;

public class ConnectionScopeTests
{
    [Fact]
    public async Task WebSocketScope_CarriesTheRequest()
    {
        var captured = new TaskCompletionSource<ConnectionScope>();
        await using var server = await KestrelTestServer.StartAsync(Capture(captured));

        using var client = await server.ConnectAsync("/ws/room%20one/?token=a%20b&x=1", options =>
        {
            options.AddSubProtocol("p1");
            options.AddSubProtocol("p2");
            options.SetRequestHeader("X-Custom", "Value");
        });
        var scope = await captured.Task.DefaultTimeout();

        Assert.Equal(ScopeTypes.WebSocket, scope.Type);
        Assert.Equal("/ws/room one/", scope.Path);
        Assert.Equal("/ws/room%20one/", scope.RawPath);
        Assert.Equal("token=a%20b&x=1", scope.QueryString);
        Assert.Equal("", scope.RootPath);
        Assert.Equal("ws", scope.Scheme);
        Assert.Equal("1.1", scope.HttpVersion);
        Assert.Equal("GET", scope.Method);
        Assert.Equal(["p1", "p2"], scope.Subprotocols);
        Assert.Contains(new KeyValuePair<string, string>("x-custom", "Value"), scope.Headers);
        Assert.All(scope.Headers, header => Assert.Equal(header.Key.ToLowerInvariant(), header.Key));
        Assert.Equal("Value", scope.GetHeader("X-CUSTOM"));
        Assert.Equal(IPAddress.Loopback, scope.Client?.Address);
        Assert.True(scope.Client?.Port > 0);
        Assert.Equal(server.BaseAddress.Port, scope.Server?.Port);
        Assert.False(scope.User.Identity?.IsAuthenticated);
        Assert.Empty(scope.Items); // the application's own bag: the request is reached through GetHttpContext()
        Assert.NotNull(Switchboard.AspNetCore.ConnectionScopeHttpContextExtensions.GetHttpContext(scope));
        Assert.True(scope.ConnectionClosed.CanBeCanceled);
    }

    [Fact]
    public async Task Scope_UserSetByMiddlewareBeforeTheEndpoint_IsTheScopesUser()
    {
        var captured = new TaskCompletionSource<ConnectionScope>();
        await using var server = await KestrelTestServer.StartAsync(
            Capture(captured),
            configureApp: app => app.Use((context, next) =>
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test"));
                return next(context);
            }));
        using var client = await server.ConnectAsync("/ws/user/");

        var scope = await captured.Task.DefaultTimeout();

        Assert.True(scope.User.Identity?.IsAuthenticated);
        Assert.Equal("ada", scope.User.Identity?.Name);
    }

    [Fact]
    public async Task Scope_Services_AreOneScopePerConnection()
    {
        var services = new List<(IServiceProvider Provider, object First, object Second)>();
        var done = new TaskCompletionSource();
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            lock (services)
            {
                services.Add((scope.Services, scope.Services.GetRequiredService<PerConnection>(), scope.Services.GetRequiredService<PerConnection>()));
                if (services.Count == 2)
                {
                    done.TrySetResult();
                }
            }

            await TestApplications.Echo().InvokeAsync(scope, receive, send);
        });
        await using var server = await KestrelTestServer.StartAsync(application, configureBuilder: b => b.Services.AddScoped<PerConnection>());

        using var first = await server.ConnectAsync("/ws/");
        using var second = await server.ConnectAsync("/ws/");
        await done.Task.DefaultTimeout();

        Assert.All(services, s => Assert.Same(s.First, s.Second));
        Assert.NotSame(services[0].First, services[1].First);
    }

    [Fact]
    public async Task Scope_BehindUsePathBase_HasRootPathAndTheRestAsPath()
    {
        var captured = new TaskCompletionSource<ConnectionScope>();
        await using var server = await KestrelTestServer.StartAsync(
            builder => builder.Services.AddSwitchboard(Capture(captured)),
            app =>
            {
                app.UsePathBase("/base");
                app.UseRouting();
                app.MapSwitchboard();
            });

        using var client = await server.ConnectAsync("/base/ws/");
        var scope = await captured.Task.DefaultTimeout();

        Assert.Equal("/base", scope.RootPath);
        Assert.Equal("/ws/", scope.Path);
        Assert.Equal("/base/ws/", scope.RawPath);
    }

    [Fact]
    public async Task HttpScope_CarriesTheRequest()
    {
        var captured = new TaskCompletionSource<ConnectionScope>();
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            captured.TrySetResult(scope);
            await send(new HttpResponseStartEvent(204), default);
            await send(new HttpResponseBodyEvent(default), default);
        });
        await using var server = await KestrelTestServer.StartAsync(application);
        using var http = server.CreateHttpClient();

        await http.PostAsync("/api/items?id=7", new StringContent("x")).DefaultTimeout();
        var scope = await captured.Task.DefaultTimeout();

        Assert.Equal(ScopeTypes.Http, scope.Type);
        Assert.Equal("http", scope.Scheme);
        Assert.Equal("POST", scope.Method);
        Assert.Equal("/api/items", scope.Path);
        Assert.Equal("id=7", scope.QueryString);
        Assert.Empty(scope.Subprotocols);
        Assert.Equal("text/plain; charset=utf-8", scope.GetHeader("content-type"));
    }

    [Fact]
    public async Task WebSocketOverHttp2_ExtendedConnect_IsServedWithHttpVersion2()
    {
        var captured = new TaskCompletionSource<ConnectionScope>();
        await using var server = await KestrelTestServer.StartAsync(
            Capture(captured),
            configureBuilder: builder => builder.WebHost.ConfigureKestrel(kestrel =>
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2)));
        using var handler = new SocketsHttpHandler();
        using var invoker = new HttpMessageInvoker(handler);
        using var client = new ClientWebSocket();
        client.Options.HttpVersion = HttpVersion.Version20;
        client.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;

        await client.ConnectAsync(server.WebSocketUri("/ws/h2/"), invoker, default).DefaultTimeout();
        await client.SendTextAsync("over h2");

        Assert.Equal("over h2", (await client.ReceiveMessageAsync()).Text);
        var scope = await captured.Task.DefaultTimeout();
        Assert.Equal(ScopeTypes.WebSocket, scope.Type);
        Assert.Equal("2", scope.HttpVersion);
        Assert.Equal("/ws/h2/", scope.Path);
    }

    private static IApplication Capture(TaskCompletionSource<ConnectionScope> captured) =>
        IApplication.Create(async (scope, receive, send) =>
        {
            captured.TrySetResult(scope);
            await TestApplications.Echo().InvokeAsync(scope, receive, send);
        });

    private sealed class PerConnection;
}
