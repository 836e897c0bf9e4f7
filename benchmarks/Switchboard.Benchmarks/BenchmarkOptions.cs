using System.Globalization;

namespace Switchboard.Benchmarks;

/// <summary>The load generator's settings, parsed from the command line (<see cref="Usage"/> lists them).</summary>
internal sealed class BenchmarkOptions
{
    /// <summary>The target names, in the order they run by default; the first is the one the others are compared with.</summary>
    public static readonly string[] AllTargets = ["chat", "ceiling", "coalesced", "signalr", "django"];

    /// <summary>The workload names, in the order they run (<c>stall</c> runs <c>steady</c> then <c>stall</c>).</summary>
    public static readonly string[] AllWorkloads = ["echo", "broadcast", "flatout", "burst", "stall", "idle"];

    private static readonly string[] s_roomWorkloads = ["broadcast", "flatout", "burst"];
    private static readonly string[] s_layerTargets = ["chat", "django"];

    public const string Usage = """
        Usage: Switchboard.Benchmarks [run] [options]     load every target, report side by side
               Switchboard.Benchmarks ceiling --urls URL  run the ceiling server only
               Switchboard.Benchmarks signalr --urls URL  run the SignalR peer only

        Options (defaults in brackets):
          --quick              a short smoke run: small counts (given options still win)
          --targets LIST       chat,ceiling,coalesced,signalr,django in the order to run [all]; missing ones are skipped
          --only LIST          echo,broadcast,flatout,burst,stall,idle [all]
          --docs               also rewrite the results section of docs/benchmarks.md and its SVG charts
          --chat PATH          the reference app's Chat.dll [samples/Chat/bin/Release/net10.0/Chat.dll]
          --chat-args ARGS     arguments put before --urls when starting the chat target, space-separated [none]
          --python PATH        the Python with Django Channels and daphne [/usr/bin/python3]
          --layer URL          a Redis channel layer for chat (--layer URL) and django (DJANGO_CHANNEL_LAYER) [in-memory]
          --processes N        server processes per target, sharing --layer; readers are spread over them, the sender
                               uses the first; only chat and django, only broadcast, flatout and burst [1]
          --connections N      echo: concurrent connections [50]
          --roundtrips N       echo: sequential round trips per connection [2000]
          --size N             bytes per echo message and characters per broadcast message [64]
          --receivers N        broadcast, flatout, burst, stall: reading sockets in the room [100]
          --messages N         broadcast: messages the sender sends [2000]
          --window N           broadcast: most messages the sender runs ahead of the slowest socket; 0: no limit [20]
          --flatout-messages N flatout: messages sent back to back [10000]
          --burst-messages N   burst: messages sent back to back [2000]
          --stall-rate N       stall: messages per second the sender sends [1000]
          --stall-seconds N    stall: how long it sends [8]
          --stall-size N       stall: characters per message [2048]
          --idle-connections N idle: idle sockets opened on a fresh server [5000]
          --warmup SECONDS     least time the warm-up round (every workload at a quarter of its work) repeats
                               before the measured runs, so that the JIT's tier-up is done; 0: one round [15]
          --repeat N           measured runs per workload; the median run (by rate) is reported [3]
          --timeout SECONDS    limit per workload run [120]
          --results DIR        where latest.md, the JSON files and the charts go [benchmarks/results]
        """;

    public string? ChatPath { get; private set; }

    public IReadOnlyList<string> ChatArgs { get; private set; } = [];

    public string Python { get; private set; } = "/usr/bin/python3";

    /// <summary>Gets the channel layer URL the chat and django targets use, or null for their in-memory layers.</summary>
    public string? Layer { get; private set; }

    /// <summary>Gets how many server processes each target runs (sharing <see cref="Layer"/>).</summary>
    public int Processes { get; private set; } = 1;

    public IReadOnlyList<string> Targets { get; private set; } = AllTargets;

    public IReadOnlyList<string> Workloads { get; private set; } = AllWorkloads;

    public bool Quick { get; private set; }

    public bool UpdateDocs { get; private set; }

    public int Connections { get; private set; } = 50;

    public int RoundTrips { get; private set; } = 2000;

    public int Size { get; private set; } = 64;

    public int Receivers { get; private set; } = 100;

    public int Messages { get; private set; } = 2000;

    public int Window { get; private set; } = 20;

    public int FlatOutMessages { get; private set; } = 10_000;

    public int BurstMessages { get; private set; } = 2000;

    public int StallRate { get; private set; } = 1000;

    public TimeSpan StallSeconds { get; private set; } = TimeSpan.FromSeconds(8);

    public int StallSize { get; private set; } = 2048;

    public int IdleConnections { get; private set; } = 5000;

    public int Repeat { get; private set; } = 3;

    /// <summary>
    /// Gets the least time the warm-up round repeats. .NET servers compile hot methods again at tier 1 (with the profile
    /// gathered meanwhile) only after they ran 30 times once no new method was compiled for 100 ms: with a single short
    /// warm-up round, broadcast rates still rose 2.3 to 3.1× over the next three runs of the same server.
    /// </summary>
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(15);

    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(120);

    public string? ResultsDirectory { get; private set; }

    /// <summary>The exact arguments given, for the report.</summary>
    public string CommandLine { get; private set; } = "";

    /// <summary>Parses the options of <c>run</c>.</summary>
    /// <exception cref="ArgumentException">An option is unknown, lacks its value or has a bad one; the message says which.</exception>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions { CommandLine = string.Join(' ', args) };
        if (args.Contains("--quick"))
        {
            // Small counts first; the options given below override them.
            options.Quick = true;
            options.Connections = 20;
            options.RoundTrips = 300;
            options.Messages = 500;
            options.FlatOutMessages = 2000;
            options.BurstMessages = 500;
            options.StallRate = 500;
            options.StallSeconds = TimeSpan.FromSeconds(2);
            options.IdleConnections = 500;
            options.Timeout = TimeSpan.FromSeconds(60);
            options.Warmup = TimeSpan.Zero;
            options.Repeat = 1;
        }

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
                case "--quick": break;
                case "--docs": options.UpdateDocs = true; break;
                case "--chat": options.ChatPath = Path.GetFullPath(Value()); break;
                case "--chat-args": options.ChatArgs = Value().Split(' ', StringSplitOptions.RemoveEmptyEntries); break;
                case "--python": options.Python = Value(); break;
                case "--layer": options.Layer = Value(); break;
                case "--processes": options.Processes = Count(1); break;
                case "--targets": options.Targets = List(name, Value(), AllTargets); break;
                case "--only": options.Workloads = List(name, Value(), AllWorkloads); break;
                case "--connections": options.Connections = Count(1); break;
                case "--roundtrips": options.RoundTrips = Count(1); break;
                case "--size": options.Size = Count(32); break;
                case "--receivers": options.Receivers = Count(1); break;
                case "--messages": options.Messages = Count(1); break;
                case "--window": options.Window = Count(0); break;
                case "--flatout-messages": options.FlatOutMessages = Count(1); break;
                case "--burst-messages": options.BurstMessages = Count(1); break;
                case "--stall-rate": options.StallRate = Count(1); break;
                case "--stall-seconds": options.StallSeconds = TimeSpan.FromSeconds(Count(1)); break;
                case "--stall-size": options.StallSize = Count(32); break;
                case "--idle-connections": options.IdleConnections = Count(1); break;
                case "--repeat": options.Repeat = Count(1); break;
                case "--warmup": options.Warmup = TimeSpan.FromSeconds(Count(0)); break;
                case "--timeout": options.Timeout = TimeSpan.FromSeconds(Count(1)); break;
                case "--results": options.ResultsDirectory = Path.GetFullPath(Value()); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if (options.Processes > 1)
        {
            // Several processes only make sense on a shared layer, and only the room workloads spread their sockets.
            if (options.Layer is null)
            {
                throw new ArgumentException("Option --processes needs --layer: processes share a room only through a channel layer (for example --layer redis://127.0.0.1:6379).");
            }

            if (options.Workloads.Except(s_roomWorkloads).FirstOrDefault() is { } other)
            {
                throw new ArgumentException($"Option --processes runs only {string.Join(", ", s_roomWorkloads)}, not {other}: add --only broadcast,flatout,burst.");
            }

            if (options.Targets.Except(s_layerTargets).FirstOrDefault() is { } single)
            {
                throw new ArgumentException($"Option --processes runs only the targets with a channel layer ({string.Join(", ", s_layerTargets)}), not {single}: add --targets chat,django.");
            }
        }

        return options;
    }

    /// <summary>The options as name/value pairs, for the report (numbers stay numbers in the JSON).</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Describe() =>
    [
        new("quick", Quick),
        new("targets", string.Join(',', Targets)),
        new("workloads", string.Join(',', Workloads)),
        new("connections", Connections),
        new("roundtrips", RoundTrips),
        new("size", Size),
        new("receivers", Receivers),
        new("messages", Messages),
        new("window", Window),
        new("flatoutMessages", FlatOutMessages),
        new("burstMessages", BurstMessages),
        new("stallRate", StallRate),
        new("stallSeconds", (int)StallSeconds.TotalSeconds),
        new("stallSize", StallSize),
        new("idleConnections", IdleConnections),
        new("repeat", Repeat),
        new("layer", Layer ?? "in-memory"),
        new("processes", Processes),
        new("warmupSeconds", (int)Warmup.TotalSeconds),
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
