using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Switchboard.Redis;

public sealed partial class RedisChannelLayer : IChannelLayerHealth
{
    /// <inheritdoc />
    /// <remarks>Sends <c>PING</c> to every host at once, each within <paramref name="timeout"/>, then asks the receive
    /// loop whether its last pops succeeded: a loop retrying after losing Redis is unhealthy even when <c>PING</c> passes
    /// again, until its next pop.</remarks>
    public async Task<HealthCheckResult> CheckHealthAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pings = _shards.Select(shard => shard.PingAsync(timeout, cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(pings).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            var failed = pings.Select((ping, i) => (Ping: ping, Host: _shards[i].Host.DisplayName)).Where(p => p.Ping.IsFaulted).ToList();
            return HealthCheckResult.Unhealthy(
                $"Redis did not answer PING within {timeout}: {string.Join("; ", failed.Select(f => $"{f.Host}: {f.Ping.Exception!.InnerException!.Message}"))}",
                failed[0].Ping.Exception!.InnerException);
        }

        if (_receiver.DescribeFailures() is { } failures)
        {
            return HealthCheckResult.Unhealthy($"Redis answers PING, but {failures}.");
        }

        var latencies = string.Join(", ", pings.Select((ping, i) => $"{_shards[i].Host.DisplayName} {ping.Result.TotalMilliseconds:0.#} ms"));
        return HealthCheckResult.Healthy($"Redis answered PING ({latencies}); receive loop running: {_receiver.RunningLoops > 0}.");
    }
}
