using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.CommandLine;

/// <summary>docs/deployment.md's snippets, checked by the real tools: the nginx block run by a real nginx in front of the
/// reference app on a unix socket under a root path, the systemd units verified by systemd-analyze.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public partial class DeploymentDocsTests
{
    private const string Nginx = "/usr/sbin/nginx";

    [Fact]
    public async Task DocumentedNginxBlock_FrontsTheAppOnAUnixSocket_UnderTheRootPath_WithProxyHeaders()
    {
        Assert.True(File.Exists(Nginx), "nginx is missing: install the Debian package 'nginx' (./test.sh does it when run as root).");
        var dir = Directory.CreateTempSubdirectory("sb-nginx-").FullName;

        // Created 0700; nginx's workers (an unprivileged user when the tests run as root) must reach the socket in it.
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        try
        {
            var socket = Path.Combine(dir, "chat.sock");
            var accessLog = Path.Combine(dir, "access.log");
            var port = FreePort();
            var config = Path.Combine(dir, "nginx.conf");
            await File.WriteAllTextAsync(config, NginxConfig(dir, DocumentedBlock().Replace("/run/switchboard/chat.sock", socket).Replace("listen 80;", $"listen 127.0.0.1:{port};")));

            var (syntax, syntaxOutput) = await RunAsync(Nginx, "-t", "-p", dir, "-e", Path.Combine(dir, "error.log"), "-c", config);
            Assert.True(syntax == 0, "nginx -t: " + syntaxOutput);

            // The command line of docs/deployment.md, with the access log in a file.
            await using var app = AppProcess.Start(["--unix-socket", socket, "--proxy-headers", "--root-path", "/chat", "--access-log", accessLog]);
            await app.WaitForListeningAsync();

            // nginx's workers run as an unprivileged user when the tests run as root; let them reach the socket.
            File.SetUnixFileMode(socket, (UnixFileMode)0b111_111_111);
            using var nginx = Process.Start(new ProcessStartInfo(Nginx) { ArgumentList = { "-p", dir, "-e", Path.Combine(dir, "error.log"), "-c", config, "-g", "daemon off;" } })!;
            try
            {
                await WaitForPortAsync(port);
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
                using var request = new HttpRequestMessage(HttpMethod.Get, "chat/");
                request.Headers.Add("X-Forwarded-For", "203.0.113.5");
                using var page = await http.SendAsync(request);
                Assert.True(page.StatusCode == HttpStatusCode.OK, $"{page.StatusCode}: {ReadIfExists(Path.Combine(dir, "error.log"))}");
                Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/chat/ws/echo/"), CancellationToken.None).DefaultTimeout();
                await ws.SendTextAsync("through nginx");
                Assert.Equal("through nginx", (await ws.ReceiveMessageAsync()).Text);
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).DefaultTimeout();
            }
            finally
            {
                nginx.Kill();
                await nginx.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            app.Terminate();
            Assert.Equal(0, await app.WaitForExitAsync());
            var lines = await File.ReadAllLinesAsync(accessLog);

            // The client is the address nginx saw (the header's last entry), not the one the client claimed.
            Assert.Contains(lines, l => l.StartsWith("127.0.0.1:", StringComparison.Ordinal) && l.Contains("\"GET /chat/\" 200", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("127.0.0.1:", StringComparison.Ordinal) && l.Contains("\"WSCONNECT /chat/ws/echo/\"", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("203.0.113.5", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The first nginx block of docs/deployment.md.</summary>
    private static string DocumentedBlock()
    {
        var block = NginxFence().Match(DeploymentPage());
        Assert.True(block.Success, "docs/deployment.md has no ```nginx block.");
        Assert.Contains("listen 80;", block.Groups["body"].Value, StringComparison.Ordinal);
        Assert.Contains("/run/switchboard/chat.sock", block.Groups["body"].Value, StringComparison.Ordinal);
        return block.Groups["body"].Value;
    }

    private static string DeploymentPage() => RepositoryFiles.ReadAllText("docs/deployment.md");

    private static string NginxConfig(string dir, string block) => $$"""
        worker_processes 1;
        pid {{dir}}/nginx.pid;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path {{dir}}/client_body;
            proxy_temp_path {{dir}}/proxy;
            fastcgi_temp_path {{dir}}/fastcgi;
            uwsgi_temp_path {{dir}}/uwsgi;
            scgi_temp_path {{dir}}/scgi;
        {{block}}
        }
        """;

    private static string ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"nginx did not listen on port {port}.");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await output);
    }

    [GeneratedRegex(@"```nginx\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex NginxFence();
}
