using System.Diagnostics;
using Switchboard.Redis.Tests.Infrastructure;

namespace Switchboard.Redis.Tests;

/// <summary>What the layer does when Redis goes away and comes back: a real redis-server process is killed and started
/// again on the same port during traffic.</summary>
public sealed class RedisFailureTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(1);
    private RedisServer _server = null!;

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SendAsync_RedisDown_FailsWithinTheTimeoutNamingTheHost()
    {
        await using var layer = Layer();
        await layer.SendAsync("jobs", new LayerMessage("job")); // connected
        await _server.StopAsync();

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RedisChannelLayerException>(async () => await layer.SendAsync("jobs", new LayerMessage("job")));

        Assert.True(clock.Elapsed < s_timeout + TimeSpan.FromSeconds(2), $"The send failed after {clock.Elapsed}.");
        Assert.Equal(_server.Url, error.Host);
        Assert.Contains(_server.Url, error.Message, StringComparison.Ordinal);
        Assert.Contains("Check that Redis is running", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RedisChannelLayerException>(async () => await layer.GroupSendAsync("room", new LayerMessage("x")));
        await Assert.ThrowsAsync<RedisChannelLayerException>(async () => await layer.GroupAddAsync("room", "jobs"));
    }

    [Fact]
    public async Task Operations_RedisNeverStarted_FailWithinTheTimeout()
    {
        await _server.StopAsync();
        await using var layer = Layer();

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<RedisChannelLayerException>(async () => await layer.SendAsync("jobs", new LayerMessage("job")));
        await Assert.ThrowsAsync<RedisChannelLayerException>(async () => await layer.ReceiveAsync("jobs"));

        Assert.True(clock.Elapsed < (2 * s_timeout) + TimeSpan.FromSeconds(4), $"The operations failed after {clock.Elapsed}.");
    }

    [Fact]
    public async Task ReceiveLoop_RedisRestartedDuringTraffic_TrafficResumes()
    {
        await using var receiver = Layer();
        await using var sender = Layer();
        var channel = await receiver.NewChannelAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new List<long>();
        var reading = Task.Run(async () =>
        {
            while (true)
            {
                var message = await receiver.ReceiveAsync(channel, stop.Token);
                lock (received)
                {
                    received.Add(message.GetInt64("n"));
                }
            }
        });

        long n = 0;
        var failedSends = 0;
        async Task SendUntilAsync(Func<bool> done)
        {
            while (!done() && !stop.IsCancellationRequested)
            {
                // A number per attempt: a send that timed out may still have reached Redis (a timeout cannot tell),
                // so reusing its number would look like a duplicate delivery.
                var attempt = n++;
                try
                {
                    await sender.SendAsync(channel, new LayerMessage("tick") { ["n"] = attempt });
                }
                catch (RedisChannelLayerException)
                {
                    failedSends++;
                }

                await Task.Delay(10);
            }
        }

        int Count()
        {
            lock (received)
            {
                return received.Count;
            }
        }

        await SendUntilAsync(() => Count() >= 20);
        await _server.StopAsync();
        await SendUntilAsync(() => failedSends >= 3);
        var beforeRestart = Count();
        await _server.StartAgainAsync();
        await SendUntilAsync(() => Count() >= beforeRestart + 20);

        Assert.False(stop.IsCancellationRequested, $"Traffic did not resume: {Count()} messages received, {beforeRestart} before the restart.");
        Assert.True(failedSends >= 3);
        lock (received)
        {
            // At most once and in order: what was lost with the server is gone, nothing is duplicated or reordered.
            Assert.Equal(received.Order(), received);
            Assert.Equal(received.Count, received.Distinct().Count());
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
    }

    private RedisChannelLayer Layer()
    {
        var options = new RedisChannelLayerOptions { Prefix = "fail", OperationTimeout = s_timeout };
        options.Hosts.Add(_server.Url);
        return new RedisChannelLayer(options);
    }
}
