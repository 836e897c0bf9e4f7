using System.Globalization;
using Switchboard.Reliability.Fuzzing;
using Switchboard.Reliability.Soak;

// The reliability harness (docs/reliability.md):
//   fuzz [--seconds N] [--seed N] [--class frames,json,handshake,http] [--replay CLASS:INDEX] [--verbose]
//   soak [--quick] [--seconds N] [--connections N] [--chat PATH]
var command = args.Length > 0 ? args[0] : "--help";
var options = ParseOptions(args.Skip(1).ToArray());
switch (command)
{
    case "fuzz":
    {
        var classes = options.TryGetValue("class", out var list) ? list.Split(',') : FuzzOptions.AllClasses;
        var seconds = options.TryGetValue("seconds", out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : 60;
        var fuzz = new FuzzOptions
        {
            Seed = options.TryGetValue("seed", out var seed) ? int.Parse(seed, CultureInfo.InvariantCulture) : Environment.TickCount & 0xFFFF,
            Classes = classes,
            PerClass = TimeSpan.FromSeconds(seconds / classes.Count),
            Verbose = options.ContainsKey("verbose"),
            Replay = options.TryGetValue("replay", out var replay)
                ? (replay.Split(':')[0], int.Parse(replay.Split(':')[1], CultureInfo.InvariantCulture))
                : null,
        };
        Console.WriteLine($"fuzz: seed {fuzz.Seed}, {string.Join(", ", fuzz.Classes)}, {fuzz.PerClass.TotalSeconds:F0} s each (replay one input: --seed {fuzz.Seed} --replay CLASS:INDEX --verbose)");
        var report = await FuzzRun.RunAsync(fuzz, Console.WriteLine);
        Console.WriteLine(report);
        return report.Passed ? 0 : 1;
    }

    case "soak":
    {
        var soak = options.ContainsKey("quick") ? SoakOptions.Quick : new SoakOptions();
        soak = soak with
        {
            ChatDll = options.GetValueOrDefault("chat", soak.ChatDll),
            Duration = options.TryGetValue("seconds", out var s) ? TimeSpan.FromSeconds(double.Parse(s, CultureInfo.InvariantCulture)) : soak.Duration,
            ConnectionsPerWave = options.TryGetValue("connections", out var c) ? int.Parse(c, CultureInfo.InvariantCulture) : soak.ConnectionsPerWave,
        };
        var report = await SoakRun.RunAsync(soak, Console.WriteLine);
        Console.WriteLine(report);
        return report.Passed ? 0 : 1;
    }

    default:
        Console.WriteLine("Usage: Switchboard.Reliability fuzz [--seconds N] [--seed N] [--class frames,json,handshake,http] [--replay CLASS:INDEX] [--verbose]");
        Console.WriteLine("       Switchboard.Reliability soak [--quick] [--seconds N] [--connections N-PER-WAVE] [--chat PATH-TO-Chat.dll]");
        return command is "--help" or "-h" ? 0 : 2;
}

static Dictionary<string, string> ParseOptions(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Unexpected argument '{args[i]}': options start with --.");
        }

        var name = args[i][2..];
        options[name] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "";
    }

    return options;
}
