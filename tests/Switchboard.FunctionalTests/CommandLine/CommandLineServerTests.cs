using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.FunctionalTests.Infrastructure;
using Switchboard.Functions;

namespace Switchboard.FunctionalTests.CommandLine;

/// <summary>Each runserver option, parsed by the real command line, against real Kestrel in this process.</summary>
public class CommandLineServerTests
{
    private static readonly FunctionRouter s_app = new FunctionRouter()
        .Route(EventTypes.HttpRequest, (m, ct) =>
            m.ReplyChannel.SendResponseAsync(200, $"{m.Scope.Client?.Address} {m.Scope.Scheme} {m.Scope.RootPath} {m.Scope.Path}", cancellationToken: ct), path: "whoami/")
        .Route(EventTypes.HttpRequest, (m, ct) => default, path: "silent/")
        .Route(EventTypes.WebSocketReceive, (m, ct) => m.ReplyChannel.SendAsync($"{m.Scope.Client?.Address} {m.Scope.Scheme} {m.Text}", ct), path: "ws/echo/")
        .Route(EventTypes.WebSocketConnect, (m, ct) => m.ReplyChannel.CloseAsync(cancellationToken: ct), path: "ws/refuse/")
        .Route(EventTypes.WebSocketConnect, (m, ct) => default, path: "ws/undecided/")
        .Route(EventTypes.WebSocketDisconnect, (m, ct) => new ValueTask(Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None)), path: "ws/stubborn/");

    [Fact]
    public async Task BindAndPort_ListenThere()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--bind", "127.0.0.1", "--port", "0");

        Assert.Equal("127.0.0.1", host.BaseAddress.Host);
        Assert.NotEqual(0, host.BaseAddress.Port);
        Assert.Equal(0, await host.StopAsync());
    }

    [Fact]
    public async Task Urls_AspNetCoresOption_ListensThereWithoutBindOrPort()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--urls", "http://127.0.0.1:0");
        using var http = host.CreateHttpClient();

        Assert.Equal("127.0.0.1 http  /whoami/", await http.GetStringAsync("whoami/"));
    }

    [Fact]
    public async Task ProxyHeaders_FromATrustedProxy_ClientAndSchemeComeFromTheHeaders()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--port", "0", "--proxy-headers");

        var answer = await WhoAmIAsync(host, ("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https"));
        using var ws = await host.ConnectAsync("ws/echo/", o =>
        {
            o.SetRequestHeader("X-Forwarded-For", "198.51.100.9");
            o.SetRequestHeader("X-Forwarded-Proto", "https");
        });
        await ws.SendTextAsync("hi");

        Assert.Equal("203.0.113.7 https  /whoami/", answer);
        Assert.Equal("198.51.100.9 wss hi", (await ws.ReceiveMessageAsync()).Text);
    }

    [Fact]
    public async Task ProxyHeaders_ForwardedPrefix_BecomesTheRootPath()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--port", "0", "--proxy-headers");

        Assert.Equal("127.0.0.1 http /chat /whoami/", await WhoAmIAsync(host, ("X-Forwarded-Prefix", "/chat")));
    }

    [Fact]
    public async Task ProxyHeaders_FromAProxyNotTrusted_AreIgnored()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--port", "0", "--proxy-headers", "--trusted-proxy", "10.0.0.0/8");

        Assert.Equal("127.0.0.1 http  /whoami/", await WhoAmIAsync(host, ("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")));
    }

    [Fact]
    public async Task ProxyHeadersOff_HeadersAreIgnored()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--port", "0");

        Assert.Equal("127.0.0.1 http  /whoami/", await WhoAmIAsync(host, ("X-Forwarded-For", "203.0.113.7")));
    }

    [Fact]
    public async Task RootPath_IsTheScopesRootPath_AndRoutesMatchTheRest()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--port", "0", "--root-path", "/app");
        using var http = host.CreateHttpClient();

        Assert.Equal("127.0.0.1 http /app /whoami/", await http.GetStringAsync("app/whoami/"));
        using var ws = await host.ConnectAsync("app/ws/echo/");
        await ws.SendTextAsync("x");
        Assert.Equal("127.0.0.1 ws x", (await ws.ReceiveMessageAsync()).Text);
    }

    [Fact]
    public async Task AccessLog_OneLinePerHttpRequestAndPerWebSocketStep_InDaphnesFormat()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sb-access-{Guid.NewGuid():N}.log");
        await using (var host = await CommandLineTestHost.StartAsync(s_app, "--port", "0", "--access-log", file))
        {
            using var http = host.CreateHttpClient();
            await http.GetStringAsync("whoami/?x=1");
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("nowhere")).StatusCode);
            using (var ws = await host.ConnectAsync("ws/echo/"))
            {
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).DefaultTimeout();
            }

            using var refused = new ClientWebSocket();
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(host.WebSocketUri("ws/refuse/"), CancellationToken.None).DefaultTimeout());
            await host.StopAsync();
        }

        var lines = await File.ReadAllLinesAsync(file);
        File.Delete(file);
        const string Prefix = @"^127\.0\.0\.1:\d+ - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\] ";
        Assert.Contains(lines, l => Matches(l, Prefix + @"""GET /whoami/\?x=1"" 200 \d+ \d+\.\d{3}s$"));
        Assert.Contains(lines, l => Matches(l, Prefix + @"""GET /nowhere"" 404 "));
        Assert.Contains(lines, l => Matches(l, Prefix + @"""WSCONNECTING /ws/echo/"" - -$"));
        Assert.Contains(lines, l => Matches(l, Prefix + @"""WSCONNECT /ws/echo/"" - -$"));
        Assert.Contains(lines, l => Matches(l, Prefix + @"""WSDISCONNECT /ws/echo/"" 1000 - \d+\.\d{3}s$"));
        Assert.Contains(lines, l => Matches(l, Prefix + @"""WSREJECT /ws/refuse/"" 403 - \d+\.\d{3}s$"));
        Assert.DoesNotContain(lines, l => l.Contains("\"GET /ws/echo/\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PingIntervalAndTimeout_AnUnansweredPingDropsTheConnection()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--port", "0", "--ping-interval", "0.2", "--ping-timeout", "0.3");
        await using var raw = await RawWebSocketClient.ConnectAsync(host.WebSocketUri("ws/echo/"));

        // The client never answers: first a ping frame (opcode 9), then the server drops the connection.
        var frame = new byte[2];
        await raw.Stream.ReadExactlyAsync(frame).AsTask().DefaultTimeout();
        Assert.Equal(0x9, frame[0] & 0x0F);
        var rest = new byte[256];
        var read = 1;
        for (var i = 0; i < 100 && read > 0; i++)
        {
            try
            {
                read = await raw.Stream.ReadAsync(rest).AsTask().DefaultTimeout();
            }
            catch (IOException)
            {
                read = 0;
            }
        }

        Assert.Equal(0, read);
    }

    [Fact]
    public async Task WebSocketConnectTimeout_AnUndecidedHandshakeIsRefusedWith503()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--port", "0", "--websocket-connect-timeout", "0.3");
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(host.WebSocketUri("ws/undecided/"), CancellationToken.None).DefaultTimeout());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, client.HttpStatusCode);
    }

    [Fact]
    public async Task ApplicationCloseTimeout_AnAppThatDoesNotReturnIsLeftBehindWithAWarning()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--port", "0", "--application-close-timeout", "0.2");
        using var ws = await host.ConnectAsync("ws/stubborn/");

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).DefaultTimeout();

        var warning = await host.Logs.WaitForEventAsync("ApplicationCloseTimedOut").DefaultTimeout();
        Assert.Contains("00:00:00.2", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocketTimeout_ClosesASocketAtTheEndOfItsLifetime()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--port", "0", "--websocket-timeout", "0.3");
        using var ws = await host.ConnectAsync("ws/echo/");

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await ws.ReceiveCloseAsync());
        Assert.Equal("Maximum connection lifetime reached", ws.CloseStatusDescription);
    }

    [Fact]
    public async Task HttpTimeout_AnAppThatHasNotStartedItsAnswerGets503()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--port", "0", "--http-timeout", "0.3");
        using var http = host.CreateHttpClient();

        using var response = await http.GetAsync("silent/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("whoami/")).StatusCode);
        await host.Logs.WaitForEventAsync("HttpResponseTimedOut").DefaultTimeout();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PerMessageDeflate_NegotiatedOnlyWhenTurnedOn(bool on)
    {
        string[] args = on ? ["--port", "0", "--per-message-deflate"] : ["--port", "0"];
        await using var host = await CommandLineTestHost.StartAsync(s_app, args);
        using var ws = await host.ConnectAsync("ws/echo/", o => o.DangerousDeflateOptions = new WebSocketDeflateOptions());
        var extensions = ws.HttpResponseHeaders?.TryGetValue("Sec-WebSocket-Extensions", out var values) == true ? string.Join(",", values) : "";

        await ws.SendTextAsync(new string('z', 10_000));

        Assert.Equal(on, extensions.Contains("permessage-deflate", StringComparison.Ordinal));
        Assert.EndsWith(new string('z', 10_000), (await ws.ReceiveMessageAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerbosityZero_InformationIsNotLogged()
    {
        await using var host = await CommandLineTestHost.StartAsync(s_app, "--port", "0", "-v", "0");
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Any");

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void ReferenceApp_CreateAppWithALayerUrl_UsesTheCommandLinesSchemes()
    {
        var error = Assert.ThrowsAny<InvalidOperationException>(() => Chat.ChatServer.CreateApp(["--urls", "http://127.0.0.1:0", "--layer", "redis://127.0.0.1:6379"]));

        Assert.Contains("Switchboard.Redis", error.Message, StringComparison.Ordinal);
    }

    /// <summary>GET whoami/ with the headers: the scope's client address, scheme, root path and path as the app saw them.</summary>
    private static async Task<string> WhoAmIAsync(CommandLineTestHost host, params (string Name, string Value)[] headers)
    {
        using var http = host.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "whoami/");
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    private static bool Matches(string line, string pattern) => System.Text.RegularExpressions.Regex.IsMatch(line, pattern);
}
