using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.Benchmarks;

/// <summary>
/// A server under test, run as a child process from its <see cref="TargetDefinition"/> on a free loopback port (a .NET
/// target as <c>dotnet ASSEMBLY [ARGS] --urls http://127.0.0.1:PORT</c> in the assembly's folder, so an ASP.NET Core
/// app finds its appsettings.json). Every target starts through here. Disposing it kills the process tree.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private const int OutputLines = 40;
    private static readonly TimeSpan s_startupTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private int _disposed;

    private ServerProcess(string name, Process process, Uri baseUri)
    {
        Name = name;
        _process = process;
        BaseUri = baseUri;
    }

    /// <summary>The target's name.</summary>
    public string Name { get; }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The answer to <c>GET /</c> when it is short plain text (the ceiling's says which GC it runs), with a leading separator; else empty.</summary>
    public string Banner { get; private set; } = "";

    /// <summary>The child's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts <paramref name="target"/> on a free loopback port and waits (at most 30 s) until it answers <c>GET /</c>.</summary>
    /// <param name="target">What to start.</param>
    /// <param name="cancellationToken">Stops waiting (the child is killed).</param>
    /// <exception cref="InvalidOperationException">The server exited or did not answer in time; the message has its last output.</exception>
    public static async Task<ServerProcess> StartAsync(TargetDefinition target, CancellationToken cancellationToken = default)
    {
        // The port is free when chosen but could be taken before the child binds it; then the child exits and we retry.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var baseUri = new Uri($"http://127.0.0.1:{FreePort()}/");
            var server = Start(target, baseUri);
            try
            {
                await server.WaitUntilAnsweringAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (attempt < attempts && server._process.HasExited && server.Wrote("already in use"))
            {
                Console.Error.WriteLine($"{target.Name} exited while starting on {baseUri}; retrying on another port.");
                server.Dispose();
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
    }

    /// <summary>The command line the server was started with, for the log.</summary>
    public string CommandLine { get; private set; } = "";

    /// <summary>The server's peak and current resident memory; null if unavailable.</summary>
    public MemoryReading? ReadMemory() => _process.HasExited ? null : MemoryReading.Read(_process.Id);

    /// <summary>The server's CPU time so far (user + system seconds); null if unavailable.</summary>
    public double? ReadCpuSeconds() => _process.HasExited ? null : CpuReading.Read(_process.Id);

    /// <summary>Kills the process tree (idempotent, also from a signal handler; bounded wait).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private static ServerProcess Start(TargetDefinition target, Uri baseUri)
    {
        var url = baseUri.GetLeftPart(UriPartial.Authority);
        var startInfo = new ProcessStartInfo(target.FileName)
        {
            WorkingDirectory = target.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in target.Arguments)
        {
            startInfo.ArgumentList.Add(argument
                .Replace("{url}", url, StringComparison.Ordinal)
                .Replace("{port}", baseUri.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }

        startInfo.Environment["ASPNETCORE_URLS"] = url;
        foreach (var (key, value) in target.Environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var server = new ServerProcess(target.Name, process, baseUri)
        {
            CommandLine = $"{target.FileName} {string.Join(' ', startInfo.ArgumentList)}",
        };

        // The output is drained (a full pipe would block the server) and its tail kept for error messages.
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(s_startupTimeout.TotalSeconds * Stopwatch.Frequency);

        // Bounded by the deadline; polls every 100 ms.
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The {Name} server exited with code {_process.ExitCode} while starting.{Tail()}");
            }

            try
            {
                // Any HTTP answer means Kestrel is listening.
                using var response = await client.GetAsync(BaseUri, cancellationToken);
                if (response.Content.Headers.ContentType?.MediaType == "text/plain" && response.Content.Headers.ContentLength < 200)
                {
                    Banner = $": {await response.Content.ReadAsStringAsync(cancellationToken)}";
                }

                return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The request timed out; try again.
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"The {Name} server did not answer {BaseUri} within {s_startupTimeout.TotalSeconds:0} s.{Tail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private bool Wrote(string text)
    {
        lock (_output)
        {
            return _output.Any(line => line.Contains(text, StringComparison.OrdinalIgnoreCase));
        }
    }

    private string Tail()
    {
        lock (_output)
        {
            return _output.Count == 0 ? " It wrote nothing." : $" Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
