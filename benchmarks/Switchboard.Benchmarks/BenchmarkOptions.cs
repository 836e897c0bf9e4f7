using System.Globalization;

namespace Switchboard.Benchmarks;

/// <summary>The load generator's settings, parsed from the command line (<see cref="Usage"/> lists them).</summary>
internal sealed class BenchmarkOptions
{
    /// <summary>The target names, in the order they run by default.</summary>
    public static readonly string[] AllTargets = ["chat", "ceiling"];

    /// <summary>The workload names, in the order they run.</summary>
    public static readonly string[] AllWorkloads = ["echo", "broadcast"];

    public const string Usage = """
        Usage: Switchboard.Benchmarks [run] [options]     load both servers, report side by side
               Switchboard.Benchmarks ceiling --urls URL  run the ceiling server only

        Options (defaults in brackets):
          --chat PATH          the reference app's Chat.dll [samples/Chat/bin/Release/net10.0/Chat.dll]
          --chat-args ARGS     arguments put before --urls when starting the chat target, space-separated [none];
                               `--chat <this assembly> --chat-args ceiling` starts the ceiling through the chat
                               target's code path (checks the harness while the Chat app is not built)
          --targets LIST       chat,ceiling in the order to run [chat,ceiling]
          --only WORKLOAD      echo or broadcast [both]
          --connections N      echo: concurrent connections [50]
          --roundtrips N       echo: sequential round trips per connection [2000]
          --size N             bytes per echo message and characters per broadcast message [64]
          --receivers N        broadcast: receiving sockets in the room [100]
          --messages N         broadcast: messages the sender sends [2000]
          --window N           broadcast: most messages the sender runs ahead of the slowest receiver [20]
          --repeat N           measured runs per workload; the median run (by msgs/s) is reported [1]
          --timeout SECONDS    limit per workload run [120]
          --results DIR        where latest.md and the JSON files go [benchmarks/results]
        """;

    public string? ChatPath { get; private set; }

    public IReadOnlyList<string> ChatArgs { get; private set; } = [];

    public IReadOnlyList<string> Targets { get; private set; } = AllTargets;

    public IReadOnlyList<string> Workloads { get; private set; } = AllWorkloads;

    public int Connections { get; private set; } = 50;

    public int RoundTrips { get; private set; } = 2000;

    public int Size { get; private set; } = 64;

    public int Receivers { get; private set; } = 100;

    public int Messages { get; private set; } = 2000;

    public int Window { get; private set; } = 20;

    public int Repeat { get; private set; } = 1;

    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(120);

    public string? ResultsDirectory { get; private set; }

    /// <summary>Parses the options of <c>run</c>.</summary>
    /// <exception cref="ArgumentException">An option is unknown, lacks its value or has a bad one; the message says which.</exception>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count
                ? args[++i]
                : throw new ArgumentException($"Option {name} needs a value.");
            int Count(int min) => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
                ? n
                : throw new ArgumentException($"Option {name} needs an integer of at least {min}, not '{args[i]}'.");

            switch (name)
            {
                case "--chat": options.ChatPath = Path.GetFullPath(Value()); break;
                case "--chat-args": options.ChatArgs = Value().Split(' ', StringSplitOptions.RemoveEmptyEntries); break;
                case "--targets": options.Targets = List(name, Value(), AllTargets); break;
                case "--only": options.Workloads = List(name, Value(), AllWorkloads); break;
                case "--connections": options.Connections = Count(1); break;
                case "--roundtrips": options.RoundTrips = Count(1); break;
                case "--size": options.Size = Count(32); break;
                case "--receivers": options.Receivers = Count(1); break;
                case "--messages": options.Messages = Count(1); break;
                case "--window": options.Window = Count(1); break;
                case "--repeat": options.Repeat = Count(1); break;
                case "--timeout": options.Timeout = TimeSpan.FromSeconds(Count(1)); break;
                case "--results": options.ResultsDirectory = Path.GetFullPath(Value()); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return options;
    }

    /// <summary>The options as name/value pairs, for the report (numbers stay numbers in the JSON).</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Describe() =>
    [
        new("targets", string.Join(',', Targets)),
        new("workloads", string.Join(',', Workloads)),
        new("connections", Connections),
        new("roundtrips", RoundTrips),
        new("size", Size),
        new("receivers", Receivers),
        new("messages", Messages),
        new("window", Window),
        new("repeat", Repeat),
        new("timeoutSeconds", (int)Timeout.TotalSeconds),
    ];

    private static string[] List(string name, string value, string[] allowed)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var item in items)
        {
            if (!allowed.Contains(item))
            {
                throw new ArgumentException($"Option {name}: '{item}' is not one of {string.Join(", ", allowed)}.");
            }
        }

        return items.Length > 0 && items.Distinct().Count() == items.Length
            ? items
            : throw new ArgumentException($"Option {name} needs a comma-separated list without repeats of: {string.Join(", ", allowed)}.");
    }
}
