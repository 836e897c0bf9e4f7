// The Redis layer benchmark driver: run by benchmarks/redis/run.sh against a redis-server it starts, next to the same
// workloads on channels_redis 4. Prints one JSON line per workload.
// Usage: Switchboard.Redis.Benchmarks REDIS_URL [--quick]
using System.Globalization;
using System.Text.Json;
using Switchboard.Redis;
using Switchboard.Redis.Benchmarks;

var url = args.Length > 0 ? args[0] : "redis://127.0.0.1:6379";
var quick = args.Contains("--quick");
var scale = quick ? 0.2 : 1.0;
int Scaled(int n) => Math.Max(5, (int)(n * scale));
if (quick)
{
    LayerWorkloads.WarmupTime = TimeSpan.Zero;
}

var prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
RedisChannelLayer Layer()
{
    var options = new RedisChannelLayerOptions { Prefix = prefix };
    options.Hosts.Add(url);
    return new RedisChannelLayer(options);
}

await using var sender = Layer();
await using var first = Layer();
await using var second = Layer();
var results = new List<LayerWorkloads.Result>
{
    await LayerWorkloads.SendReceivePairsAsync(first, 200, Scaled(5000)),
    await LayerWorkloads.GroupSendAsync(sender, first, second, 1, 100, Scaled(3000)),
    await LayerWorkloads.GroupSendAsync(sender, first, second, 100, 20, Scaled(500)),
    await LayerWorkloads.GroupSendAsync(sender, first, second, 1000, 5, Scaled(100)),
};
await sender.FlushAsync();

foreach (var result in results)
{
    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["layer"] = "switchboard",
        ["workload"] = result.Workload,
        ["count"] = result.Count,
        ["ops_per_s"] = Math.Round(result.OpsPerSecond, 1),
        ["p50_us"] = Math.Round(result.Percentile(50), 1),
        ["p99_us"] = Math.Round(result.Percentile(99), 1),
    }));
}

Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"switchboard: done ({results.Sum(static r => r.Elapsed.TotalSeconds):F1} s)"));
