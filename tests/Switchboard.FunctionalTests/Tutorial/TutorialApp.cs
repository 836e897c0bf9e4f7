using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.FunctionalTests.Tutorial;

/// <summary>The reader's built project running as its own process, <c>dotnet MyChat.dll --urls http://127.0.0.1:0</c>.</summary>
public sealed partial class TutorialApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TutorialApp(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public static async Task<TutorialApp> StartAsync(string projectDirectory, string assembly)
    {
        // The project directory is the content root, as under `dotnet run`: wwwroot is served from there.
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["DOTNET_NOLOGO"] = "1";

        var app = new TutorialApp(new Process { StartInfo = start, EnableRaisingEvents = true });
        app._process.OutputDataReceived += (_, e) => app.OnOutput(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.OnOutput(e.Data);
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();

        var exited = app._process.WaitForExitAsync();
        if (await Task.WhenAny(app._listening.Task, exited).WaitAsync(TimeSpan.FromSeconds(30)) != app._listening.Task)
        {
            throw new InvalidOperationException($"The tutorial app exited before listening:\n{app.Output}");
        }

        app.BaseAddress = await app._listening.Task;
        app.Http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        return app;
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

    public async Task<ClientWebSocket> ConnectAsync(string path)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri("ws://" + BaseAddress.Authority + path), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups["url"].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
