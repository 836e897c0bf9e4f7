using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// The reference app as a separate process, started the way the README says (<c>Chat --layer redis://...</c>, here on
/// port 0 of 127.0.0.1, its address read from its "Now listening on" line), or as a worker process
/// (<c>Chat runworker CHANNEL --layer redis://...</c>); killed on dispose.
/// </summary>
public sealed partial class ChatServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _readyLine;

    private ChatServerProcess(Process process, string? readyLine)
    {
        _process = process;
        _readyLine = readyLine;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri HttpBase { get; private set; } = null!;

    /// <summary>Starts <c>Chat runworker CHANNEL --layer URL</c>, a worker process that serves no HTTP, and waits until it
    /// listens on the channel.</summary>
    public static Task<ChatServerProcess> StartWorkerAsync(string layerUrl, string channel) =>
        StartAsync([Path.Combine(AppContext.BaseDirectory, "Chat.dll"), "runworker", channel, "--layer", layerUrl], $"Worker listening on channel {channel}");

    public static Task<ChatServerProcess> StartAsync(string layerUrl, params string[] extraArguments) =>
        StartAsync([Path.Combine(AppContext.BaseDirectory, "Chat.dll"), "--urls", "http://127.0.0.1:0", "--layer", layerUrl, .. extraArguments], readyLine: null);

    private static async Task<ChatServerProcess> StartAsync(string[] arguments, string? readyLine)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var server = new ChatServerProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."), readyLine);
        try
        {
            server.HttpBase = await server._listening.Task.WaitAsync(s_startTimeout);
            return server;
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"The Chat app did not start listening within {s_startTimeout}: {server.Output}");
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _listening.TrySetException(new InvalidOperationException($"The Chat app exited: {Output}"));
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (_readyLine is null && ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
        else if (_readyLine is not null && line.Contains(_readyLine, StringComparison.Ordinal))
        {
            // A worker serves no HTTP: it is ready when it listens on its channel.
            _listening.TrySetResult(new Uri("about:worker"));
        }
    }
}
