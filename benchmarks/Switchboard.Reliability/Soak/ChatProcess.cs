using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Switchboard.Reliability.Soak;

/// <summary>The reference app as its own process (<c>dotnet Chat.dll</c>, built in Release), on a free port.</summary>
internal sealed partial class ChatProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _errorLines;
    private int _echoLines;

    private ChatProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public Uri HttpBase { get; private set; } = null!;

    public Uri WebSocketBase => new UriBuilder(HttpBase) { Scheme = "ws" }.Uri;

    /// <summary>Gets how many lines the app wrote at Error or above (Microsoft's console format: "fail:" or "crit:").</summary>
    public int ErrorLines => Volatile.Read(ref _errorLines);

    public bool HasExited => _process.HasExited;

    public static async Task<ChatProcess> StartAsync(string chatDll)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(chatDll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.GetFullPath(chatDll), "--port", "0" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        var chat = new ChatProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        chat._process.OutputDataReceived += (_, e) => chat.OnLine(e.Data);
        chat._process.ErrorDataReceived += (_, e) => chat.OnLine(e.Data);
        chat._process.Start();
        chat._process.BeginOutputReadLine();
        chat._process.BeginErrorReadLine();
        var exited = chat._process.WaitForExitAsync();
        if (await Task.WhenAny(chat._listening.Task, exited).WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false) != chat._listening.Task)
        {
            throw new InvalidOperationException($"{chatDll} exited before listening (code {chat._process.ExitCode}); build it: dotnet build samples/Chat -c Release.");
        }

        chat.HttpBase = await chat._listening.Task.ConfigureAwait(false);
        return chat;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _errorLines);
            Console.WriteLine("  chat: " + line);

            // The message and the stack trace follow on their own lines.
            Volatile.Write(ref _echoLines, 60);
        }
        else if (Volatile.Read(ref _echoLines) > 0 && (line.StartsWith(' ') || line.StartsWith("   at", StringComparison.Ordinal)))
        {
            Interlocked.Decrement(ref _echoLines);
            Console.WriteLine("  chat: " + line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups["url"].Value.TrimEnd('/') + "/"));
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
