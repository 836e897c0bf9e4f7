using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Redis.Tests.Infrastructure;
using Switchboard.Specification.Tests;
using Switchboard.Testing;

namespace Switchboard.Redis.Tests;

/// <summary>The shipped conformance suite, scale-out cases included (two layer instances on one redis-server, as two
/// processes), against the Redis layer on a real redis-server.</summary>
/// <remarks>The layers run on a manual clock (starting now): every time the layer compares, message and membership
/// scores, expiry cutoffs, Fernet stamps, comes from its <see cref="TimeProvider"/>, so expiry tests need not wait and
/// cannot be thrown off by a loaded machine. Only Redis's own key TTLs run on the real clock, and they only ever
/// outlast what the tests check.</remarks>
[Collection(RedisCollection.Name)]
public sealed class RedisChannelLayerConformanceTests(RedisServerFixture redis) : ScaleoutChannelLayerTestsBase
{
    private readonly Dictionary<IChannelLayer, string> _prefixes = [];
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);

    // Every operation is a few Redis round trips: fewer steps than the in-memory layer's keep the suite fast.
    protected override int GroupModelSteps => 300;

    protected override IChannelLayer CreateLayer(ChannelLayerTestOptions options) => Create(options, RedisServerFixture.UniquePrefix());

    protected override IChannelLayer CreatePeerLayer(IChannelLayer first, ChannelLayerTestOptions options) => Create(options, _prefixes[first]);

    protected override Task AdvanceTimeAsync(TimeSpan by)
    {
        _time.Advance(by);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ReceiveOrNullAsync_LocalChannelCancelledWhileWaiting_CompletesWithNull()
    {
        // The consumer's listening loop ends its receive this way at every connection end, without a throw.
        await using var layer = Create(new ChannelLayerTestOptions(), RedisServerFixture.UniquePrefix());
        IQuietReceive quiet = layer;
        var channel = await layer.NewChannelAsync();
        using (var cts = new CancellationTokenSource())
        {
            var cancelled = quiet.ReceiveOrNullAsync(channel, following: null, cts.Token).AsTask();
            await cts.CancelAsync();
            Assert.Null(await cancelled.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        // Messages still arrive as messages, and the public receive still throws when cancelled.
        await layer.SendAsync(channel, new LayerMessage("test.after"));
        Assert.Equal("test.after", (await quiet.ReceiveOrNullAsync(channel, following: null, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)))?.Type);
        using var again = new CancellationTokenSource();
        var loud = layer.ReceiveAsync(channel, again.Token).AsTask();
        await again.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loud.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ReceiveOrNullAsync_LocalChannelBacklog_HandsOverEveryMessageInOrderWithTheFollowing()
    {
        // A consumer's listening loop takes a backlog from the local buffer up to 32 messages per receive.
        await using var layer = Create(new ChannelLayerTestOptions(), RedisServerFixture.UniquePrefix());
        IQuietReceive quiet = layer;
        var channel = await layer.NewChannelAsync();
        const int count = 100;
        for (var i = 0; i < count; i++)
        {
            await layer.SendAsync(channel, Numbered("test.burst", i));
        }

        var received = new List<long>();
        var following = new List<LayerMessage>();
        for (var receives = 0; receives < count && received.Count < count; receives++)
        {
            following.Clear();
            var first = await quiet.ReceiveOrNullAsync(channel, following, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(following.Count <= IQuietReceive.MaxFollowing);
            received.Add((long)first!["n"]!);
            received.AddRange(following.Select(m => (long)m["n"]!));
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), received);
    }

    private RedisChannelLayer Create(ChannelLayerTestOptions options, string prefix)
    {
        var layerOptions = new RedisChannelLayerOptions { Prefix = prefix };
        options.CopyTo(layerOptions);
        layerOptions.Hosts.Add(redis.Server.Url);
        var layer = new RedisChannelLayer(layerOptions, _time, NullLogger.Instance, meterFactory: null);
        _prefixes[layer] = prefix;
        return layer;
    }
}
