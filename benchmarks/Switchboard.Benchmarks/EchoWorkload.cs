using System.Diagnostics;
using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>
/// The echo workload: many connections at once, each doing sequential round trips on the echo endpoint. Measures
/// round trips per second over all connections, the round-trip latency (send to echo received) and the server CPU
/// per round trip.
/// </summary>
internal static class EchoWorkload
{
    public const string Name = "echo";

    /// <summary>Runs once; never throws for a server fault (the result reports it).</summary>
    public static async Task<WorkloadResult> RunAsync(WorkloadContext context)
    {
        var options = context.Options;
        var roundTrips = context.Scaled(options.RoundTrips);
        var connections = Array.Empty<EchoConnection>();
        using var watchdog = new Watchdog(options.Timeout, () => connections.Sum(c => (long)c.Completed), context.CancellationToken);
        ClientWebSocket[] sockets;
        try
        {
            var uri = ClientSockets.WebSocketUri(context.Server.BaseUri, context.Protocol.EchoPath);
            sockets = await ClientSockets.ConnectAsync(uri, options.Connections, context.Protocol, watchdog.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidDataException)
        {
            watchdog.Fail($"could not connect: {ex.Message}");
            return WorkloadResult.NotRun(context, Name, watchdog.Reason);
        }

        connections = sockets.Select((s, i) => new EchoConnection(i, s, context.Protocol, roundTrips, options.Size)).ToArray();
        var cpuBefore = context.CpuSeconds();
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(connections.Select(c => c.RunAsync(watchdog)));
        var delivered = connections.Sum(c => (long)c.Completed);
        var cpu = context.CpuMicrosPer(cpuBefore, delivered);
        await ClientSockets.CloseAsync(sockets);

        var expected = (long)options.Connections * roundTrips;
        var end = connections.Max(c => c.LastCompletedAt);
        var seconds = end > start ? Stopwatch.GetElapsedTime(start, end).TotalSeconds : 0;
        var (p50, p99) = Latencies.Percentiles(connections.Select(c => c.Latencies));
        return new WorkloadResult
        {
            Target = context.Target,
            Workload = Name,
            Run = context.Run,
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
            CpuMicrosPerMessage = cpu,
            Failure = watchdog.Reason,
        };
    }
}
