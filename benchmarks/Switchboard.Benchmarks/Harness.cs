using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Benchmarks;

/// <summary>
/// The <c>run</c> mode: for each target in turn, starts its server, runs the workloads (a warm-up run, then the
/// measured runs), reads its memory and stops it; the idle workload gets a freshly started server of its own. Targets
/// that cannot run are skipped with a line saying how to install them. Then reports and checks the goals.
/// </summary>
internal sealed class Harness(BenchmarkOptions options, string repositoryRoot)
{
    /// <summary>Exit code: every run complete and correct.</summary>
    public const int Passed = 0;

    /// <summary>Exit code: a Switchboard run failed, timed out, or lost, duplicated, reordered or closed; or a server broke the protocol or did not start.</summary>
    public const int Failed = 1;

    /// <summary>Exit code: bad options, or no target could run.</summary>
    public const int SetupFailed = 2;

    /// <summary>Exit code: cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;

    private const string ServerDidNotStart = "the server did not start";

    // Bounds the warm-up of a target whose round takes almost no time.
    private const int MaxWarmupRounds = 50;

    private readonly List<ServerProcess> _servers = [];

    /// <summary>Runs everything; returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var loadAtStart = LoadAverage();
        var results = new List<WorkloadResult>();
        var skipped = new List<string>();
        var titles = new Dictionary<string, string>();
        var scaled = new List<string>();
        var targets = options.Targets.Select(name => TargetDefinition.For(name, options, repositoryRoot)).ToList();
        try
        {
            foreach (var target in targets)
            {
                titles[target.Name] = target.Title;
                if (target.WorkScale != 1)
                {
                    scaled.Add(string.Create(CultureInfo.InvariantCulture, $"{target.Name} got {target.WorkScale:0.##} of every workload's messages (and of the stall rate), to keep the run short: its rates compare, its counts are those of its shorter runs"));
                }

                if (target.Unavailable is { } why)
                {
                    skipped.Add($"Skipped {target.Name}: {why}");
                    Console.WriteLine($"Skipping {target.Name}: {why}");
                    continue;
                }

                await RunTargetAsync(target, results, cancellationToken);
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("Cancelled.");
        }
        finally
        {
            StopServers();
        }

        if (results.Count == 0)
        {
            Console.Error.WriteLine("No target ran.");
            return cancellationToken.IsCancellationRequested ? Cancelled : SetupFailed;
        }

        // Other work on the machine changes the numbers a lot: the report says how busy it was.
        var load = $"Load average (1, 5, 15 min) at the start: {loadAtStart}; at the end: {LoadAverage()}";
        var report = new Report(options, results, titles, [.. skipped, .. scaled, load], startedAt, Commit());
        Console.WriteLine();
        Console.WriteLine(report.Markdown(withCharts: false));
        var written = report.WriteFiles(options.ResultsDirectory ?? Path.Combine(repositoryRoot, "benchmarks", "results")).ToList();
        if (options.UpdateDocs)
        {
            written.AddRange(DocsPage.Update(repositoryRoot, report));
        }

        foreach (var path in written)
        {
            Console.WriteLine($"Wrote {path}");
        }

        // A peer that loses or blocks (the ceiling behind a stalled reader) is a result, not a failure of the run;
        // Switchboard's losses, any broken frame, and a server that did not start are.
        var failures = results.Where(r => !r.Passed).ToList();
        foreach (var r in failures)
        {
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{(Fails(r) ? "FAILED" : "peer result")}: {r.Target} {r.Workload} {(r.Run == 0 ? "warm-up" : $"run {r.Run}")}: {r.Failure ?? "incorrect deliveries"}; delivered {r.Delivered}/{r.Expected}, lost {r.Lost}, duplicated {r.Duplicated}, out of order {r.OutOfOrder}, closed {r.Closed}, errors {r.Errors}"));
        }

        return cancellationToken.IsCancellationRequested ? Cancelled : failures.Any(Fails) ? Failed : Passed;
    }

    /// <summary>Kills every server started so far (idempotent; safe from a signal handler).</summary>
    public void StopServers()
    {
        lock (_servers)
        {
            foreach (var server in _servers)
            {
                server.Dispose();
            }

            _servers.Clear();
        }
    }

    private async Task RunTargetAsync(TargetDefinition target, List<WorkloadResult> results, CancellationToken cancellationToken)
    {
        var loaded = options.Workloads.Where(w => w != IdleWorkload.Name).ToList();
        if (loaded.Count > 0 && await StartAsync(target, results, loaded[0], cancellationToken) is { } server)
        {
            var peers = new List<ServerProcess>();
            for (var i = 1; i < options.Processes; i++)
            {
                if (await StartAsync(target, results, loaded[0], cancellationToken) is not { } peer)
                {
                    StopServers();
                    return;
                }

                peers.Add(peer);
            }

            // Run 0 is the warm-up (JIT, connection pools, GC sizing): a quarter of the work, not reported, but checked.
            // Its round repeats until options.Warmup has passed, at most MaxWarmupRounds times.
            var warming = Stopwatch.StartNew();
            var rounds = 0;
            do
            {
                await RunRoundAsync(server, peers, target, loaded, 0, results, cancellationToken);
            }
            while (++rounds < MaxWarmupRounds && warming.Elapsed < options.Warmup && !cancellationToken.IsCancellationRequested);

            for (var run = 1; run <= options.Repeat && !cancellationToken.IsCancellationRequested; run++)
            {
                await RunRoundAsync(server, peers, target, loaded, run, results, cancellationToken);
            }

            StopServers();
        }

        if (options.Workloads.Contains(IdleWorkload.Name) && !cancellationToken.IsCancellationRequested
            && await StartAsync(target, results, IdleWorkload.Name, cancellationToken) is { } fresh)
        {
            Add(results, await IdleWorkload.RunAsync(new WorkloadContext(fresh, target, options, 1, cancellationToken)));
            StopServers();
        }
    }

    private async Task RunRoundAsync(
        ServerProcess server,
        IReadOnlyList<ServerProcess> peers,
        TargetDefinition target,
        List<string> workloads,
        int run,
        List<WorkloadResult> results,
        CancellationToken cancellationToken)
    {
        foreach (var workload in workloads)
        {
            foreach (var result in await RunWorkloadAsync(new WorkloadContext(server, target, options, run, cancellationToken) { Peers = peers }, workload))
            {
                Add(results, result with { ServerMemory = result.ServerMemory ?? server.ReadMemory() });
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<ServerProcess?> StartAsync(TargetDefinition target, List<WorkloadResult> results, string workload, CancellationToken cancellationToken)
    {
        try
        {
            var server = await ServerProcess.StartAsync(target, cancellationToken);
            lock (_servers)
            {
                _servers.Add(server);
            }

            Console.WriteLine($"{server.Name}: pid {server.ProcessId}, {server.BaseUri} ({server.CommandLine}){server.Banner}");
            return server;
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            results.Add(new WorkloadResult { Target = target.Name, Workload = workload, Run = 1, Expected = 0, Delivered = 0, Seconds = 0, Rate = 0, Failure = ServerDidNotStart });
            return null;
        }
    }

    private static void Add(List<WorkloadResult> results, WorkloadResult r)
    {
        results.Add(r);
        var extra = r.Workload switch
        {
            IdleWorkload.Name => string.Create(CultureInfo.InvariantCulture, $", {r.KiBPerConnection:0.0} KiB per connection"),
            StallWorkload.Stalled => $", stalled socket: {r.StalledReader}",
            _ => "",
        };
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {r.Target} {r.Workload} {(r.Run == 0 ? "warm-up" : $"run {r.Run}")}: {r.Rate:N0} {Goals.Unit(r.Workload)}, p50 {r.P50Ms:0.000} ms, p99 {r.P99Ms:0.000} ms, CPU {r.CpuMicrosPerMessage:0.000} µs/msg, {r.Delivered}/{r.Expected} in {r.Seconds:0.00} s, lost/dup/ooo/closed/err {r.Lost}/{r.Duplicated}/{r.OutOfOrder}/{r.Closed}/{r.Errors}{extra}{(r.Failure is null ? "" : $", FAILED: {r.Failure}")}"));
    }

    private static async Task<IReadOnlyList<WorkloadResult>> RunWorkloadAsync(WorkloadContext context, string workload)
    {
        var options = context.Options;
        return workload switch
        {
            EchoWorkload.Name => [await EchoWorkload.RunAsync(context)],
            BroadcastWorkload.Windowed => [await BroadcastWorkload.RunAsync(context, workload, context.Scaled(options.Messages), options.Window)],
            BroadcastWorkload.FlatOut => [await BroadcastWorkload.RunAsync(context, workload, context.Scaled(options.FlatOutMessages), window: 0)],
            BroadcastWorkload.Burst => [await BroadcastWorkload.RunAsync(context, workload, context.Scaled(options.BurstMessages), window: 0)],
            StallWorkload.Stalled => [await StallWorkload.RunAsync(context, withStalledReader: false), await StallWorkload.RunAsync(context, withStalledReader: true)],
            _ => throw new ArgumentException($"Unknown workload '{workload}'.", nameof(workload)),
        };
    }

    /// <summary>True when <paramref name="result"/> fails the run: any of Switchboard's, or a peer's broken frame or start.</summary>
    private static bool Fails(WorkloadResult result) =>
        result.Target == "chat" || result.Errors > 0 || result.Failure == ServerDidNotStart;

    /// <summary>The first three fields of <c>/proc/loadavg</c>; "unknown" without it.</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The measured commit, <c>abc1234</c>, with <c>+changes</c> when the work tree differs from it.</summary>
    private string Commit()
    {
        string? Git(params string[] args)
        {
            try
            {
                var startInfo = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repositoryRoot };
                foreach (var arg in args)
                {
                    startInfo.ArgumentList.Add(arg);
                }

                using var process = Process.Start(startInfo)!;
                var output = process.StandardOutput.ReadToEnd();
                return process.WaitForExit(TimeSpan.FromSeconds(10)) && process.ExitCode == 0 ? output.Trim() : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        var head = Git("rev-parse", "--short", "HEAD") ?? "unknown";

        // Only source changes count: the docs and results this run rewrites do not.
        var dirty = Git("status", "--porcelain", "--", "src", "samples", "benchmarks/Switchboard.Benchmarks", "benchmarks/peers");
        return string.IsNullOrEmpty(dirty) ? head : $"{head}+changes";
    }
}
