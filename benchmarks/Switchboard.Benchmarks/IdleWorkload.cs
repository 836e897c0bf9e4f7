using System.Diagnostics;
using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>
/// The idle workload, on a freshly started server: a few connections open and close (so start-up costs are not
/// counted per connection), then the server's VmRSS is read, <c>--idle-connections</c> sockets open to the echo
/// endpoint (64 at a time, the handshake included) and stay idle, and VmRSS is read again after 2 s. Reports
/// connections per second, server CPU per connection, and resident memory per idle connection.
/// </summary>
internal static class IdleWorkload
{
    public const string Name = "idle";

    private const int WarmUpConnections = 64;
    private const int Concurrency = 64;
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(2);

    /// <summary>Runs once; never throws for a server fault (the result reports it).</summary>
    public static async Task<WorkloadResult> RunAsync(WorkloadContext context)
    {
        var count = context.Options.IdleConnections;
        var uri = ClientSockets.WebSocketUri(context.Server.BaseUri, context.Protocol.EchoPath);
        // Only the time limit applies: connecting thousands of sockets to a slow server is progress, not a stall.
        using var watchdog = new Watchdog(context.Options.Timeout, Stopwatch.GetTimestamp, context.CancellationToken);
        ClientWebSocket[] sockets = [];
        try
        {
            await ClientSockets.CloseAsync(await ClientSockets.ConnectAsync(uri, WarmUpConnections, context.Protocol, watchdog.Token, Concurrency));
            await Task.Delay(TimeSpan.FromSeconds(1), watchdog.Token);
            var before = context.Server.ReadMemory();
            var cpuBefore = context.CpuSeconds();
            var start = Stopwatch.GetTimestamp();
            sockets = await ClientSockets.ConnectAsync(uri, count, context.Protocol, watchdog.Token, Concurrency);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var cpu = context.CpuMicrosPer(cpuBefore, count);
            await Task.Delay(s_settle, watchdog.Token);
            var after = context.Server.ReadMemory();
            return new WorkloadResult
            {
                Target = context.Target,
                Workload = Name,
                Run = context.Run,
                Expected = count,
                Delivered = sockets.Count(s => s.State == WebSocketState.Open),
                Seconds = seconds,
                Rate = count / seconds,
                CpuMicrosPerMessage = cpu,
                KiBPerConnection = before is { } b && after is { } a ? (a.CurrentKiB - b.CurrentKiB) / (double)count : null,
                Closed = sockets.Count(s => s.State != WebSocketState.Open),
                ServerMemory = after,
                Failure = watchdog.Reason,
            };
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidDataException)
        {
            return WorkloadResult.NotRun(context, Name, watchdog.Reason ?? $"could not connect: {ex.Message}");
        }
        finally
        {
            await ClientSockets.CloseAsync(sockets);
        }
    }
}
