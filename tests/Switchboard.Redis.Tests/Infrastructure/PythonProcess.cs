using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// A script of <c>Python/</c> run with Debian's <c>/usr/bin/python3</c> (the one with python3-channels-redis and
/// python3-msgpack; the first <c>python3</c> on PATH may be another), its stdout read line by line, killed on dispose.
/// </summary>
public sealed class PythonProcess : IAsyncDisposable
{
    public const string Interpreter = "/usr/bin/python3";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _errors = new();

    private PythonProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts a script with arguments.</summary>
    public static PythonProcess Start(string script, params string[] arguments)
    {
        if (!File.Exists(Interpreter))
        {
            throw new InvalidOperationException($"{Interpreter} is missing: install Debian's python3 (./test.sh does it when run as root; .ci/run installs it).");
        }

        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Python", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        return new PythonProcess(Process.Start(start) ?? throw new InvalidOperationException($"{Interpreter} did not start."));
    }

    /// <summary>Runs a script to its end and returns its stdout lines; fails with its stderr when it fails.</summary>
    public static async Task<List<string>> RunAsync(string script, IEnumerable<string>? input, params string[] arguments)
    {
        await using var python = Start(script, arguments);
        if (input is not null)
        {
            foreach (var line in input)
            {
                await python._process.StandardInput.WriteLineAsync(line);
            }
        }

        python._process.StandardInput.Close();
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(s_timeout);
        await foreach (var line in python._lines.Reader.ReadAllAsync(timeout.Token))
        {
            lines.Add(line);
        }

        await python._process.WaitForExitAsync(timeout.Token);
        if (python._process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exited with {python._process.ExitCode}: {python.Errors}");
        }

        return lines;
    }

    /// <summary>Gets what the script wrote to stderr so far.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Reads the next stdout line, failing with the script's stderr when none comes in time.</summary>
    public async Task<string> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? s_timeout);
        try
        {
            return await _lines.Reader.ReadAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"The Python script printed no line (exited: {_process.HasExited}). stderr: {Errors}", ex);
        }
    }

    /// <summary>Waits for the script to end successfully.</summary>
    public async Task WaitForSuccessAsync()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await _process.WaitForExitAsync(timeout.Token);
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The Python script exited with {_process.ExitCode}: {Errors}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
