using System.Diagnostics;
using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>
/// The echo workload: many connections at once, each doing sequential round trips on <c>/ws/echo/</c>. Measures
/// round trips per second over all connections and the round-trip latency (send to echo received).
/// </summary>
internal static class EchoWorkload
{
    public const string Name = "echo";

    /// <summary>Runs once; never throws for a server fault (the result reports it).</summary>
    public static async Task<WorkloadResult> RunAsync(
        string target, Uri baseUri, BenchmarkOptions options, int run, int roundTrips, CancellationToken cancellationToken)
    {
        var connections = Array.Empty<EchoConnection>();
        using var watchdog = new Watchdog(options.Timeout, () => connections.Sum(c => (long)c.Completed), cancellationToken);
        ClientWebSocket[] sockets;
        try
        {
            sockets = await ClientSockets.ConnectAsync(ClientSockets.WebSocketUri(baseUri, "ws/echo/"), options.Connections, watchdog.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            watchdog.Fail($"could not connect: {ex.Message}");
            sockets = [];
        }

        connections = sockets.Select((s, i) => new EchoConnection(i, s, roundTrips, options.Size)).ToArray();
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(connections.Select(c => c.RunAsync(watchdog)));
        await ClientSockets.CloseAsync(sockets);

        var expected = (long)options.Connections * roundTrips;
        var delivered = connections.Sum(c => (long)c.Completed);
        var end = connections.Length == 0 ? start : connections.Max(c => c.LastCompletedAt);
        var seconds = end > start ? Stopwatch.GetElapsedTime(start, end).TotalSeconds : 0;
        var (p50, p99) = Latencies.Percentiles(connections.Select(c => c.Latencies));
        return new WorkloadResult
        {
            Target = target,
            Workload = Name,
            Run = run,
            Expected = expected,
            Delivered = delivered,
            Seconds = seconds,
            Rate = seconds > 0 ? delivered / seconds : 0,
            P50Ms = p50,
            P99Ms = p99,
            Lost = expected - delivered,
            Duplicated = connections.Sum(c => (long)c.Duplicated),
            OutOfOrder = 0, // One message in flight per connection: an echo can only be right, late (a duplicate) or wrong.
            Errors = connections.Sum(c => (long)c.Errors),
            Failure = watchdog.Reason,
        };
    }

}
