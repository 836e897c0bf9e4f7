using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// The reference app (samples/Chat), or another built app, as its own process, <c>dotnet Chat.dll ARGS</c>, with its output captured; for
/// what only a process shows (exit codes, SIGTERM, environment variables, help text).
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(Process process) => _process = process;

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

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public static AppProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        StartAssembly(typeof(Chat.ChatServer).Assembly.Location, args, environment);

    /// <summary>Any built app as <c>dotnet APP.dll ARGS</c>, run from its output folder or from <paramref name="workingDirectory"/>
    /// (its content root, such as a project folder with wwwroot).</summary>
    public static AppProcess StartAssembly(
        string assembly, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var app = new AppProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        app._process.OutputDataReceived += (_, e) => app.OnOutput(e.Data);
        app._process.ErrorDataReceived += (_, e) =>
        {
            lock (app._error)
            {
                app._error.AppendLine(e.Data);
            }
        };
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Runs the app to its end (help, refusals) and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToEndAsync(params string[] args)
    {
        await using var app = Start(args);
        var code = await app.WaitForExitAsync();
        return (code, app.Output, app.Error);
    }

    /// <summary>Waits for Kestrel's "Now listening on:" line and returns that address.</summary>
    public async Task<Uri> WaitForListeningAsync()
    {
        var exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(_listening.Task, exited).WaitAsync(TimeSpan.FromSeconds(30)) != _listening.Task)
        {
            throw new InvalidOperationException($"The app exited with {_process.ExitCode} before listening. Output: {Output} Error: {Error}");
        }

        return await _listening.Task;
    }

    /// <summary>Sends SIGTERM, as systemd or a container runtime stops a service.</summary>
    public void Terminate()
    {
        // The shell's builtin: a bare Debian has no kill binary (procps).
        using var kill = Process.Start("sh", ["-c", "kill -TERM " + _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
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
            _listening.TrySetResult(new Uri(match.Groups["url"].Value.TrimEnd('/') + "/"));
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>\S+)")]
    private static partial Regex ListeningLine();
}
