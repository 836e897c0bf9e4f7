using System.Diagnostics;
using System.Text;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// The .NET SDK's <c>dotnet</c> command, run as a reader runs it in a shell: for tests that create, restore, build and
/// pack projects. Each run is bounded in time, and a failure shows the command and its output.
/// </summary>
public static class DotnetCli
{
    /// <summary>How long one command may take: a restore and build of a small app on a busy two-core machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="directory"/>; a non-zero exit fails the test.</summary>
    /// <returns>The standard output and error, interleaved as they came.</returns>
    public static async Task<string> RunAsync(string directory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host runs under dotnet test, whose MSBuild variables would point a child build at the test run's
        // MSBuild; a reader's shell has none of them.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";

        // No MSBuild worker nodes left running after the test.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();

        // Below the tests that run beside it (other test assemblies run at the same time): a build is not timed, they are.
        process.PriorityClass = ProcessPriorityClass.BelowNormal;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'dotnet {string.Join(' ', args)}' in {directory} took more than {Timeout}. Output:\n{Tail(output)}");
        }

        process.WaitForExit(); // flushes the redirected output
        var text = Tail(output);
        Assert.True(process.ExitCode == 0, $"'dotnet {string.Join(' ', args)}' in {directory} exited with {process.ExitCode}. Output:\n{text}");
        return text;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            const int Max = 20_000;
            return output.Length <= Max ? output.ToString() : "...\n" + output.ToString(output.Length - Max, Max);
        }
    }
}
