using System.Diagnostics;
using Switchboard;

namespace Switchboard.Redis.Benchmarks;

/// <summary>
/// The workloads, the same as benchmarks/redis/channels_redis_bench.py runs against channels_redis: send+receive pairs
/// on one consumer channel, and a group send to N members spread over two layer instances (two processes' keys), each
/// op ending when every member has received its copy.
/// </summary>
internal static class LayerWorkloads
{
    /// <summary>
    /// The least time each workload's warm-up takes, its op count notwithstanding. .NET compiles a hot method again at
    /// tier 1 only after it ran 30 times once no new method was compiled for 100 ms: with warm-ups of 5 to 200 ops the
    /// whole Switchboard side took 2.7 s and measured partly compiled code (docs/benchmarks.md, "The harness").
    /// </summary>
    public static TimeSpan WarmupTime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>One send then its receive on a consumer (process-specific) channel, sequentially.</summary>
    public static async Task<Result> SendReceivePairsAsync(IChannelLayer layer, int warmup, int count)
    {
        var channel = await layer.NewChannelAsync();
        return await MeasureAsync("send+receive pair", warmup, count, async n =>
        {
            await layer.SendAsync(channel, new LayerMessage("bench.pair") { ["n"] = n, ["text"] = "hello" });
            var received = await layer.ReceiveAsync(channel);
            if (received.GetInt64("n") != n)
            {
                throw new InvalidOperationException($"Expected message {n}, got {received.GetInt64("n")}.");
            }
        });
    }

    /// <summary>A group send to <paramref name="members"/> channels, half in each layer, until every member received it.</summary>
    public static async Task<Result> GroupSendAsync(IChannelLayer sender, IChannelLayer first, IChannelLayer second, int members, int warmup, int count)
    {
        var group = "bench.group" + members;
        var channels = new List<(IChannelLayer Layer, string Channel)>(members);
        for (var i = 0; i < members; i++)
        {
            var layer = i % 2 == 0 ? first : second;
            var channel = await layer.NewChannelAsync();
            await layer.GroupAddAsync(group, channel);
            channels.Add((layer, channel));
        }

        return await MeasureAsync($"group send to {members}", warmup, count, async n =>
        {
            await sender.GroupSendAsync(group, new LayerMessage("chat.message") { ["message"] = "hello everyone", ["n"] = n });
            foreach (var (layer, channel) in channels)
            {
                var received = await layer.ReceiveAsync(channel);
                if (received.GetInt64("n") != n)
                {
                    throw new InvalidOperationException($"Member {channel} expected message {n}, got {received.GetInt64("n")}.");
                }
            }
        });
    }

    /// <summary>Runs <paramref name="op"/> for at least <paramref name="warmup"/> ops and <see cref="WarmupTime"/>
    /// (at most 1,000 times the ops), then <paramref name="count"/> measured ops, numbered on from the warm-up's.</summary>
    private static async Task<Result> MeasureAsync(string workload, int warmup, int count, Func<long, Task> op)
    {
        long n = 0;
        var warming = Stopwatch.StartNew();
        while (n < warmup || (warming.Elapsed < WarmupTime && n < 1000L * warmup))
        {
            await op(n++);
        }

        var latencies = new List<double>(count);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await op(n++);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        return new Result(workload, count, total.Elapsed, latencies);
    }

    internal sealed record Result(string Workload, int Count, TimeSpan Elapsed, List<double> LatenciesMicroseconds)
    {
        public double OpsPerSecond => Count / Elapsed.TotalSeconds;

        public double Percentile(double p)
        {
            var sorted = LatenciesMicroseconds.Order().ToList();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
        }
    }
}
