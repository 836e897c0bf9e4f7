using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Server;

public sealed class RoutingTests : IDisposable
{
    private readonly string _webRoot = Directory.CreateTempSubdirectory("switchboard-static-").FullName;

    public RoutingTests() => File.WriteAllText(Path.Combine(_webRoot, "hello.txt"), "static hello");

    public void Dispose() => Directory.Delete(_webRoot, recursive: true);

    [Fact]
    public async Task WebSocket_PathTheApplicationDoesNotClaim_FallsThroughTo404AndLogsDebug()
    {
        await using var server = await StartWebSocketOnlyServerAsync();

        Assert.Equal(404, await server.ConnectExpectingRefusalAsync("/elsewhere/"));

        var entry = await server.Logs.WaitForEventAsync("NoRouteForWebSocket").DefaultTimeout();
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Contains("/elsewhere/", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocket_PathTheApplicationClaims_IsServed()
    {
        await using var server = await StartWebSocketOnlyServerAsync();

        using var client = await server.ConnectAsync("/ws/echo/");
        await client.SendTextAsync("hi");

        Assert.Equal("hi", (await client.ReceiveMessageAsync()).Text);
    }

    [Fact]
    public async Task Http_RequestTheApplicationDoesNotClaim_FallsThroughToMinimalApiAndStaticFiles()
    {
        await using var server = await StartWebSocketOnlyServerAsync();
        using var http = server.CreateHttpClient();

        Assert.Equal("api hello", await http.GetStringAsync("/api/hello").DefaultTimeout());
        Assert.Equal("static hello", await http.GetStringAsync("/hello.txt").DefaultTimeout());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/nothing-here").DefaultTimeout()).StatusCode);

        // A plain GET on the WebSocket path is an http scope, which this application does not claim either.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ws/echo/").DefaultTimeout()).StatusCode);
    }

    [Fact]
    public async Task Http_ApplicationClaimingEverything_OtherEndpointsStillWinAndStaticFilesAreShadowed()
    {
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            await receive(default);
            await send(new HttpResponseStartEvent(200), default);
            await send(new HttpResponseBodyEvent("switchboard"u8.ToArray()), default);
        });
        await using var server = await KestrelTestServer.StartAsync(application, configureApp: ConfigureOtherEndpoints);
        using var http = server.CreateHttpClient();

        Assert.Equal("api hello", await http.GetStringAsync("/api/hello").DefaultTimeout());
        Assert.Equal("switchboard", await http.GetStringAsync("/anything").DefaultTimeout());

        // Static files are served only when no endpoint matched: an application that claims every path shadows them.
        Assert.Equal("switchboard", await http.GetStringAsync("/hello.txt").DefaultTimeout());
    }

    [Fact]
    public async Task MapSwitchboard_WithPrefix_ServesOnlyUnderThePrefixWithTheFullPathInTheScope()
    {
        var paths = new List<string>();
        var application = IApplication.Create(async (scope, receive, send) =>
        {
            lock (paths)
            {
                paths.Add(scope.Path);
            }

            await TestApplications.Echo().InvokeAsync(scope, receive, send);
        });
        await using var server = await KestrelTestServer.StartAsync(
            builder => builder.Services.AddSwitchboard(application),
            app => app.MapSwitchboard("/ws"));

        using var client = await server.ConnectAsync("/ws/chat/lobby/");
        Assert.Equal(404, await server.ConnectExpectingRefusalAsync("/other/"));
        lock (paths)
        {
            Assert.Equal(["/ws/chat/lobby/"], paths);
        }
    }

    [Fact]
    public async Task MapSwitchboard_ReturnsAConventionBuilder_ConventionsApply()
    {
        await using var server = await KestrelTestServer.StartAsync(
            builder => builder.Services.AddSwitchboard(TestApplications.Echo()),
            app => app.MapSwitchboard().RequireHost("switchboard.example"));

        // The endpoint requires another host name, so the request from 127.0.0.1 does not reach it.
        Assert.Equal(404, await server.ConnectExpectingRefusalAsync("/ws/"));
    }

    [Fact]
    public async Task MapSwitchboard_WithoutAddSwitchboard_ThrowsWithTheFix()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            KestrelTestServer.StartAsync(configureBuilder: null, app => app.MapSwitchboard()));

        Assert.Contains("AddSwitchboard", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocket_UpgradeWithBrokenHandshake_Answers400()
    {
        await using var server = await KestrelTestServer.StartAsync(TestApplications.Echo());
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ws/");
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));

        // No Sec-WebSocket-Key or version: not a valid handshake.
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(request).DefaultTimeout()).StatusCode);
    }

    private Task<KestrelTestServer> StartWebSocketOnlyServerAsync() =>
        KestrelTestServer.StartAsync(
            new ClaimingApplication(scope => scope.Type == ScopeTypes.WebSocket && scope.Path.StartsWith("/ws/", StringComparison.Ordinal), TestApplications.Echo()),
            configureApp: ConfigureOtherEndpoints);

    private void ConfigureOtherEndpoints(WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(_webRoot) });
        app.MapGet("/api/hello", () => "api hello");
    }
}
