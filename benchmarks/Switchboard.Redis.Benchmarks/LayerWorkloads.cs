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
    /// <summary>One send then its receive on a consumer (process-specific) channel, sequentially.</summary>
    public static async Task<Result> SendReceivePairsAsync(IChannelLayer layer, int warmup, int count)
    {
        var channel = await layer.NewChannelAsync();
        var latencies = new List<double>(count);
        var total = Stopwatch.StartNew();
        for (var i = -warmup; i < count; i++)
        {
            if (i == 0)
            {
                total.Restart();
            }

            var start = Stopwatch.GetTimestamp();
            await layer.SendAsync(channel, new LayerMessage("bench.pair") { ["n"] = (long)i, ["text"] = "hello" });
            var received = await layer.ReceiveAsync(channel);
            if (received.GetInt64("n") != i)
            {
                throw new InvalidOperationException($"Expected message {i}, got {received.GetInt64("n")}.");
            }

            if (i >= 0)
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }

        return new Result("send+receive pair", count, total.Elapsed, latencies);
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

        var latencies = new List<double>(count);
        var total = Stopwatch.StartNew();
        for (var i = -warmup; i < count; i++)
        {
            if (i == 0)
            {
                total.Restart();
            }

            var start = Stopwatch.GetTimestamp();
            await sender.GroupSendAsync(group, new LayerMessage("chat.message") { ["message"] = "hello everyone", ["n"] = (long)i });
            foreach (var (layer, channel) in channels)
            {
                var received = await layer.ReceiveAsync(channel);
                if (received.GetInt64("n") != i)
                {
                    throw new InvalidOperationException($"Member {channel} expected message {i}, got {received.GetInt64("n")}.");
                }
            }

            if (i >= 0)
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }

        return new Result($"group send to {members}", count, total.Elapsed, latencies);
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
