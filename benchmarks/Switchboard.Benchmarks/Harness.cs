using System.Globalization;

namespace Switchboard.Benchmarks;

/// <summary>
/// The <c>run</c> mode: starts every target's server, runs the workloads against each in turn (a warm-up run, then the
/// measured runs), reads each server's memory, stops the servers (always), and reports.
/// </summary>
internal sealed class Harness(BenchmarkOptions options, string repositoryRoot)
{
    /// <summary>Exit code: every run complete and correct.</summary>
    public const int Passed = 0;

    /// <summary>Exit code: a run failed, timed out, or lost, duplicated or reordered a message.</summary>
    public const int Failed = 1;

    /// <summary>Exit code: a server could not be started.</summary>
    public const int SetupFailed = 2;

    /// <summary>Exit code: cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;

    private readonly List<ServerProcess> _servers = [];

    /// <summary>Runs everything; returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var results = new List<WorkloadResult>();
        try
        {
            // Every server must exist before any starts.
            var targets = options.Targets.Select(name => TargetDefinition.For(name, options, repositoryRoot)).ToList();
            foreach (var target in targets.Where(t => !File.Exists(t.AssemblyPath)))
            {
                throw new InvalidOperationException($"The {target.Name} server {target.AssemblyPath} does not exist; build it in Release first (benchmarks/run.sh does), or pass its path.");
            }

            foreach (var target in targets)
            {
                var server = await ServerProcess.StartAsync(target.Name, target.AssemblyPath, target.Arguments, target.Environment, cancellationToken);
                lock (_servers)
                {
                    _servers.Add(server);
                }

                Console.WriteLine($"{server.Name}: pid {server.ProcessId}, {server.BaseUri} ({target.AssemblyPath} {string.Join(' ', target.Arguments)}){server.Banner}");
            }

            foreach (var server in _servers)
            {
                await RunTargetAsync(server, results, cancellationToken);
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return SetupFailed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("Cancelled.");
        }
        finally
        {
            StopServers();
        }

        if (results.Count > 0)
        {
            var report = new Report(options, results, startedAt);
            Console.WriteLine();
            report.WriteTable(Console.Out);
            foreach (var path in report.WriteFiles(options.ResultsDirectory ?? Path.Combine(repositoryRoot, "benchmarks", "results")))
            {
                Console.WriteLine($"Wrote {path}");
            }
        }

        var failures = results.Where(r => !r.Passed).ToList();
        foreach (var r in failures)
        {
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"FAILED: {r.Target} {r.Workload} {(r.Run == 0 ? "warm-up" : $"run {r.Run}")}: {r.Failure ?? "incorrect deliveries"}; delivered {r.Delivered}/{r.Expected}, lost {r.Lost}, duplicated {r.Duplicated}, out of order {r.OutOfOrder}, errors {r.Errors}"));
        }

        return cancellationToken.IsCancellationRequested ? Cancelled : failures.Count > 0 ? Failed : Passed;
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
        }
    }

    private async Task RunTargetAsync(ServerProcess server, List<WorkloadResult> results, CancellationToken cancellationToken)
    {
        // Run 0 is the warm-up (JIT, connection pools, GC sizing): a quarter of the work, not counted, but checked.
        for (var run = 0; run <= options.Repeat && !cancellationToken.IsCancellationRequested; run++)
        {
            foreach (var workload in options.Workloads)
            {
                var result = await RunWorkloadAsync(server, workload, run, cancellationToken);
                result = result with { ServerMemory = server.ReadMemory() };
                results.Add(result);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {server.Name} {workload} {(run == 0 ? "warm-up" : $"run {run}")}: {result.Rate:N0} msgs/s, p50 {result.P50Ms:0.000} ms, p99 {result.P99Ms:0.000} ms, {result.Delivered}/{result.Expected} delivered in {result.Seconds:0.00} s, lost/dup/ooo/err {result.Lost}/{result.Duplicated}/{result.OutOfOrder}/{result.Errors}{(result.Failure is null ? "" : $", FAILED: {result.Failure}")}"));
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private Task<WorkloadResult> RunWorkloadAsync(ServerProcess server, string workload, int run, CancellationToken cancellationToken)
    {
        int Scaled(int count) => run == 0 ? Math.Max(1, count / 4) : count;
        return workload switch
        {
            EchoWorkload.Name => EchoWorkload.RunAsync(server.Name, server.BaseUri, options, run, Scaled(options.RoundTrips), cancellationToken),
            BroadcastWorkload.Name => BroadcastWorkload.RunAsync(server.Name, server.BaseUri, options, run, Scaled(options.Messages), cancellationToken),
            _ => throw new ArgumentException($"Unknown workload '{workload}'.", nameof(workload)),
        };
    }
}
