using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>
/// Runs the fuzzers against the reference app: starts it, starts the well-behaved clients, runs each input class for
/// its time (or replays one input), then checks the clients lost nothing, the server logged no error, and it still serves.
/// </summary>
internal static class FuzzRun
{
    // Warnings an input explains: invalid JSON (1007), a binary message to a JSON consumer (1003), a message over the
    // limit (1009), a foreign Origin (403). Anything else at Warning or above is a finding.
    private static readonly HashSet<string> s_expectedWarnings = ["InvalidJson", "BinaryMessageToJsonConsumer", "MessageTooBig", "OriginRefused"];

    public static async Task<FuzzReport> RunAsync(FuzzOptions options, Action<string>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        await using var target = await FuzzTarget.StartAsync().ConfigureAwait(false);
        await using var context = new FuzzContext(target, progress) { Verbose = options.Verbose };
        long lost;
        List<string> calmProblems;
        long sent;
        long received;
        await using (var calm = await CalmRoom.StartAsync(target.WebSocketBase, options.CalmClients, TimeSpan.FromMilliseconds(20)).ConfigureAwait(false))
        {
            if (options.Replay is { } replay)
            {
                await RunOneAsync(context, replay.Class, replay.Index, options.InputRandom(replay.Class, replay.Index)).ConfigureAwait(false);
            }
            else
            {
                foreach (var inputClass in options.Classes)
                {
                    var started = Stopwatch.StartNew();
                    var lastReport = Stopwatch.StartNew();
                    for (var index = 0; index < options.MaxInputsPerClass && started.Elapsed < options.PerClass; index++)
                    {
                        await RunOneAsync(context, inputClass, index, options.InputRandom(inputClass, index)).ConfigureAwait(false);
                        if (lastReport.Elapsed > TimeSpan.FromSeconds(10))
                        {
                            progress?.Invoke($"{inputClass}: {index + 1:N0} inputs in {started.Elapsed.TotalSeconds:F0} s, {context.Failures.Count} failures so far");
                            lastReport.Restart();
                        }
                    }
                }
            }

            lost = await calm.StopAndCheckAsync().ConfigureAwait(false);
            calmProblems = [.. calm.Problems];
            sent = calm.Sent;
            received = calm.Received;
        }

        // Still serving: the page loads after everything.
        using (var http = new HttpClient { BaseAddress = target.HttpBase, Timeout = TimeSpan.FromSeconds(15) })
        {
            var page = await http.GetAsync(new Uri("/", UriKind.Relative)).ConfigureAwait(false);
            if (!page.IsSuccessStatusCode)
            {
                context.Fail("server", 0, "GET /", $"the page answered {(int)page.StatusCode} after the run");
            }
        }

        var unexpected = target.Logs.Entries
            .Where(e => e.Level >= LogLevel.Error || !s_expectedWarnings.Contains(e.EventId.Name ?? ""))
            .ToList();
        return new FuzzReport
        {
            Options = options,
            Tried = context.Tried.ToDictionary(),
            Outcomes = context.Outcomes.ToDictionary(),
            Failures = [.. context.Failures],
            UnexpectedLogs = unexpected,
            CalmSent = sent,
            CalmReceived = received,
            CalmLost = lost,
            CalmProblems = calmProblems,
            Elapsed = clock.Elapsed,
        };
    }

    private static Task RunOneAsync(FuzzContext context, string inputClass, int index, Random random) => inputClass switch
    {
        FrameFuzzer.Class => FrameFuzzer.RunOneAsync(context, index, random),
        JsonFuzzer.Class => JsonFuzzer.RunOneAsync(context, index, random),
        HandshakeFuzzer.Class => HandshakeFuzzer.RunOneAsync(context, index, random),
        HttpBodyFuzzer.Class => HttpBodyFuzzer.RunOneAsync(context, index, random),
        _ => throw new ArgumentException($"Unknown input class '{inputClass}': use {string.Join(", ", FuzzOptions.AllClasses)}.", nameof(inputClass)),
    };
}
