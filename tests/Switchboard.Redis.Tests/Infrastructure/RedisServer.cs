using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> (Debian's package) on a free loopback port, started by the tests and stopped after them;
/// it can be stopped and started again on the same port, to test what the layer does while Redis is down.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const string Executable = "/usr/bin/redis-server";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(10);
    private readonly string _directory;
    private readonly string[] _extraArguments;
    private Process? _process;

    private RedisServer(int port, string directory, string[] extraArguments)
    {
        Port = port;
        _directory = directory;
        _extraArguments = extraArguments;
    }

    /// <summary>Gets the loopback port.</summary>
    public int Port { get; }

    /// <summary>Gets the host URL for the layer, e.g. <c>redis://127.0.0.1:6390</c>.</summary>
    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>Gets the path of the server's Unix socket.</summary>
    public string UnixSocket => Path.Combine(_directory, "redis.sock");

    /// <summary>Gets whether the server runs now.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="extraArguments">More redis-server options, for example <c>--requirepass secret</c>.</param>
    public static async Task<RedisServer> StartAsync(params string[] extraArguments)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException(
                $"{Executable} is missing: install Debian's redis-server package (./test.sh does it when run as root; .ci/run installs it).");
        }

        var directory = Directory.CreateTempSubdirectory("switchboard-redis-").FullName;
        for (var attempt = 0; ; attempt++)
        {
            var server = new RedisServer(FreePort(), directory, extraArguments);
            try
            {
                await server.StartAgainAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between our probe and the server's bind: try another one.
            }
        }
    }

    /// <summary>Starts the server again on the same port (after <see cref="StopAsync"/>); its data is gone.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--unixsocket", UnixSocket, "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--protected-mode", "no", "--loglevel", "warning",
        }.Concat(_extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_startTimeout)
        {
            if (process.HasExited)
            {
                _process = null;
                string log;
                lock (output)
                {
                    log = output.ToString();
                }

                throw new InvalidOperationException($"redis-server on port {Port} exited at start: {log}");
            }

            if (await PingAsync())
            {
                return;
            }

            await Task.Delay(20);
        }

        await StopAsync();
        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within {s_startTimeout}.");
    }

    /// <summary>Kills the server (as a crash would) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        using var timeout = new CancellationTokenSource(s_startTimeout);
        await process.WaitForExitAsync(timeout.Token);
        process.Dispose();
    }

    /// <summary>Runs one command with the server's own client, for inspecting what the layer stored.</summary>
    public async Task<string> CliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(s_startTimeout);
        var text = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return text.TrimEnd('\n');
    }

    /// <summary>Waits until a group key holds at least <paramref name="members"/> members (a consumer joined), bounded.</summary>
    public async Task WaitForGroupMembersAsync(string prefix, string group, int members = 1)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_startTimeout)
        {
            if (int.TryParse(await CliAsync("ZCARD", $"{prefix}:group:{group}"), out var count) && count >= members)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Group '{group}' did not get {members} members within {s_startTimeout}.");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return read > 0 && (buffer[0] == (byte)'+' || buffer[0] == (byte)'-'); // -NOAUTH: up, with a password
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
