using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.CommandLine;

/// <summary>The reference app's command line as a real process: help, refusals, configuration, unix socket, SIGTERM.</summary>
public class CommandLineProcessTests
{
    [Fact]
    public async Task Help_ListsEveryRunserverOptionWithItsDefault()
    {
        var (code, output, _) = await AppProcess.RunToEndAsync("--help");

        Assert.Equal(0, code);
        foreach (var option in new[]
        {
            "--bind", "--port", "--unix-socket", "--proxy-headers", "--trusted-proxy", "--root-path", "--access-log", "--ping-interval",
            "--ping-timeout", "--websocket-connect-timeout", "--application-close-timeout", "--websocket-timeout", "--http-timeout",
            "--per-message-deflate", "--verbosity", "--layer", "runworker",
        })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }

        Assert.Contains("[default: 127.0.0.1]", output, StringComparison.Ordinal);
        Assert.Contains("[default: 8000]", output, StringComparison.Ordinal);
        Assert.Contains("[default: 20]", output, StringComparison.Ordinal);
        Assert.Contains("[default: 86400]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunworkerHelp_ListsChannelsConcurrencyAndLayer()
    {
        var (code, output, _) = await AppProcess.RunToEndAsync("runworker", "--help");

        Assert.Equal(0, code);
        Assert.Contains("<channel>...", output, StringComparison.Ordinal);
        Assert.Contains("--concurrency", output, StringComparison.Ordinal);
        Assert.Contains("--layer", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port", "70000", "--port")]
    [InlineData("--ping-timeout", "0", "--ping-timeout")]
    [InlineData("--websocket-timeout", "-5", "--websocket-timeout")]
    [InlineData("--http-timeout", "soon", "--http-timeout")]
    [InlineData("--access-log", "/nonexistent-switchboard-dir/access.log", "--access-log")]
    [InlineData("--root-path", "chat", "--root-path")]
    public async Task BadValue_IsRefusedNamingTheOption(string option, string value, string named)
    {
        var (code, _, error) = await AppProcess.RunToEndAsync(option, value);

        Assert.NotEqual(0, code);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortInUse_IsRefusedWithTheReason()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, _, error) = await AppProcess.RunToEndAsync("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, code);
        Assert.Contains("cannot listen", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadBindAddress_IsRefusedAtStartup()
    {
        var (code, _, error) = await AppProcess.RunToEndAsync("--bind", "example.invalid", "--port", "0");

        Assert.Equal(2, code);
        Assert.Contains("--bind", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadValueFromConfiguration_IsRefusedNamingTheOptionAndTheKey()
    {
        await using var app = AppProcess.Start(["--port", "0"], new Dictionary<string, string> { ["Switchboard__Server__KeepAliveInterval"] = "-00:00:01" });

        Assert.Equal(2, await app.WaitForExitAsync());
        Assert.Contains("--ping-interval", app.Error, StringComparison.Ordinal);
        Assert.Contains("Switchboard:Server:KeepAliveInterval", app.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runworker_InMemoryLayer_RefusesAndExplains()
    {
        var (code, _, error) = await AppProcess.RunToEndAsync("runworker", "thumbnails");

        Assert.Equal(2, code);
        Assert.Contains("in-memory layer, workers run inside the server", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedisLayer_WithoutTheRedisPackage_ClearError()
    {
        await using var app = AppProcess.Start(["--port", "0"], new Dictionary<string, string> { ["SWITCHBOARD_LAYER"] = "redis://127.0.0.1:6379" });

        Assert.Equal(2, await app.WaitForExitAsync());
        Assert.Contains("'redis' scheme", app.Error, StringComparison.Ordinal);
        Assert.Contains("Switchboard.Redis", app.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoArguments_ServesOnLoopback_PortFromConfiguration_AndStopsOnSigterm()
    {
        // No command-line arguments: runserver with its defaults, the port taken from the environment (0: a free one).
        await using var app = AppProcess.Start([], new Dictionary<string, string> { ["Switchboard__RunServer__Port"] = "0" });
        var address = await app.WaitForListeningAsync();
        Assert.Equal("127.0.0.1", address.Host);

        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);

        app.Terminate();
        Assert.Equal(0, await app.WaitForExitAsync());
        Assert.Contains("Application is shutting down", app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnixSocket_ServesHttpAndWebSockets_AndVerbosityTwoLogsDebug()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sb-{Guid.NewGuid():N}.sock");
        await using var app = AppProcess.Start(["--unix-socket", path, "-v", "2"]);
        await app.WaitForListeningAsync();
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };

        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("http://localhost/")).StatusCode);
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri("ws://localhost/ws/echo/"), new HttpMessageInvoker(handler), CancellationToken.None).DefaultTimeout();
        await ws.SendTextAsync("over a unix socket");
        Assert.Equal("over a unix socket", (await ws.ReceiveMessageAsync()).Text);
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).DefaultTimeout();

        app.Terminate();
        Assert.Equal(0, await app.WaitForExitAsync());
        Assert.Contains("WSCONNECTING /ws/echo/", app.Output, StringComparison.Ordinal);
        File.Delete(path);
    }
}
