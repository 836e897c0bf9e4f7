using System.Diagnostics;

namespace Switchboard.Benchmarks;

/// <summary>
/// How to start one target: <see cref="FileName"/> with <see cref="Arguments"/>, where <c>{url}</c> and <c>{port}</c>
/// stand for the free loopback address chosen at start, in <see cref="WorkingDirectory"/>, with extra environment
/// variables; its clients speak <see cref="Protocol"/>. <see cref="Unavailable"/> says why it cannot run and how to fix it.
/// </summary>
internal sealed record TargetDefinition(
    string Name,
    string Title,
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    WireProtocol Protocol,
    string? Unavailable)
{
    /// <summary>
    /// The share of each workload's messages this target gets (1: all). Django Channels delivers about 1/30 of what
    /// the .NET servers do, so it gets a tenth of the messages (and of the stall rate) to keep the whole run within
    /// minutes; its rates stay comparable, its counts are those of its shorter runs.
    /// </summary>
    public double WorkScale { get; init; } = 1;

    /// <summary>The target named <paramref name="name"/> (one of <see cref="BenchmarkOptions.AllTargets"/>).</summary>
    public static TargetDefinition For(string name, BenchmarkOptions options, string repositoryRoot) => name switch
    {
        // The reference app runs exactly as built, with its own defaults (server GC from the Web SDK).
        "chat" => Dotnet(
            name,
            "Switchboard, samples/Chat",
            options.ChatPath ?? Path.Combine(repositoryRoot, "samples", "Chat", "bin", "Release", "net10.0", "Chat.dll"),
            options.Layer is { } layer ? [.. options.ChatArgs, "--layer", layer] : options.ChatArgs,
            new Dictionary<string, string>(),
            "build it: dotnet build samples/Chat -c Release (benchmarks/run.sh does)"),

        // The ceiling and the SignalR peer are this assembly, built with the client's workstation GC; the environment
        // gives them what the Web SDK gives every ASP.NET Core app (and so the Chat app): server GC with DATAS.
        "ceiling" => Dotnet(name, "raw Kestrel", Self, ["ceiling"], s_webGc, null),
        "coalesced" => Dotnet(name, "raw Kestrel, coalesced writes", Self, ["ceiling", "--coalesce"], s_webGc, null),
        "signalr" => Dotnet(name, "ASP.NET Core SignalR", Self, ["signalr"], s_webGc, null) with { Protocol = WireProtocol.SignalR },
        "django" => Django(options, repositoryRoot),
        _ => throw new ArgumentException($"Unknown target '{name}'.", nameof(name)),
    };

    private static readonly Dictionary<string, string> s_webGc = new()
    {
        ["DOTNET_gcServer"] = "1",
        ["DOTNET_GCDynamicAdaptationMode"] = "1",
    };

    private static string Self => typeof(TargetDefinition).Assembly.Location;

    private static TargetDefinition Dotnet(
        string name, string title, string assembly, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string? howToBuild) =>
        new(
            name,
            title,
            DotnetHost(),
            [assembly, .. arguments, "--urls", "{url}"],
            Path.GetDirectoryName(assembly)!,
            environment,
            WireProtocol.Channels,
            File.Exists(assembly) ? null : $"{assembly} does not exist; {howToBuild ?? "build the benchmarks in Release"}");

    /// <summary>
    /// Django Channels 4 under daphne, the project in <c>benchmarks/peers/django</c>; its channel layer comes from the
    /// environment (see its settings.py), in-memory by default.
    /// </summary>
    private static TargetDefinition Django(BenchmarkOptions options, string repositoryRoot)
    {
        var project = Path.Combine(repositoryRoot, "benchmarks", "peers", "django");
        var missing = MissingPythonModules(options.Python);
        return new(
            "django",
            "Django Channels 4, daphne",
            options.Python,
            ["-m", "daphne", "-e", "tcp:port={port}:interface=127.0.0.1:backlog=1024", "benchproject.asgi:application"],
            project,
            new Dictionary<string, string>
            {
                ["DJANGO_SETTINGS_MODULE"] = "benchproject.settings",
                ["PYTHONDONTWRITEBYTECODE"] = "1",
                ["DJANGO_CHANNEL_LAYER"] = options.Layer ?? "memory",
            },
            WireProtocol.Channels,
            missing is null ? null : $"{options.Python} cannot import {missing}; install it with: apt-get install -y python3-django-channels python3-daphne")
        {
            WorkScale = 0.1,
        };
    }

    /// <summary>Null when <paramref name="python"/> imports django, channels and daphne; else what it failed on.</summary>
    private static string? MissingPythonModules(string python)
    {
        try
        {
            var startInfo = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-c", "import django, channels, daphne" })
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var process = Process.Start(startInfo)!;
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                return "django, channels and daphne (it did not answer in 30 s)";
            }

            return process.ExitCode == 0 ? null : error.Result.Trim().Split('\n')[^1];
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"anything ({ex.Message})";
        }
    }

    /// <summary>The <c>dotnet</c> host running this harness, so the servers run on the same runtime.</summary>
    private static string DotnetHost()
    {
        var path = System.Environment.ProcessPath;
        if (path is not null && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }

        return System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
    }
}
