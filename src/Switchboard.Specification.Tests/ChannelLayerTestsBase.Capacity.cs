using System.Text.RegularExpressions;
using Xunit;

namespace Switchboard.Specification.Tests;

public abstract partial class ChannelLayerTestsBase
{
    /// <summary>A channel holding its capacity of unread messages rejects a send with <see cref="ChannelFullException"/>;
    /// other channels are unaffected, and reading makes room again.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task SendAsync_ChannelAtCapacity_ThrowsChannelFull()
    {
        var layer = Layer(new ChannelLayerTestOptions { Capacity = 3 });
        for (var n = 0; n < 3; n++)
        {
            await layer.SendAsync("full.channel", Numbered("test.fill", n));
        }

        var full = await Assert.ThrowsAsync<ChannelFullException>(() => layer.SendAsync("full.channel", Numbered("test.fill", 3)).AsTask());
        Assert.Equal("full.channel", full.Channel);
        Assert.Equal(3, full.Capacity);

        await layer.SendAsync("other.channel", Numbered("test.other", 0));
        Assert.Equal(0, (await ReceiveAsync(layer, "full.channel")).GetInt64("n"));
        await layer.SendAsync("full.channel", Numbered("test.fill", 4));
        foreach (var n in new long[] { 1, 2, 4 })
        {
            Assert.Equal(n, (await ReceiveAsync(layer, "full.channel")).GetInt64("n"));
        }
    }

    /// <summary>Per-channel capacities: globs (<c>*</c>, <c>?</c>, <c>[...]</c>) and regular expressions, first match
    /// wins, the default capacity for the rest.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task SendAsync_ChannelCapacityRules_FirstMatchWins()
    {
        var layer = Layer(new ChannelLayerTestOptions
        {
            Capacity = 3,
            ChannelCapacities =
            {
                new ChannelCapacityRule("http.response!*", 2),
                new ChannelCapacityRule(new Regex(@"^big\."), 5),
                new ChannelCapacityRule("big.*", 1),
                new ChannelCapacityRule("q?.[xy]", 4),
            },
        });

        await AssertCapacityAsync(layer, "http.response!abc", 2);
        await AssertCapacityAsync(layer, "big.one", 5);
        await AssertCapacityAsync(layer, "q1.x", 4);
        await AssertCapacityAsync(layer, "q12.x", 3);
        await AssertCapacityAsync(layer, "q1.z", 3);
        await AssertCapacityAsync(layer, "other", 3);

        static async Task AssertCapacityAsync(IChannelLayer layer, string channel, int capacity)
        {
            for (var n = 0; n < capacity; n++)
            {
                await layer.SendAsync(channel, Numbered("test.fill", n));
            }

            var full = await Assert.ThrowsAsync<ChannelFullException>(() => layer.SendAsync(channel, Numbered("test.fill", capacity)).AsTask());
            Assert.Equal(capacity, full.Capacity);
        }
    }

    /// <summary>An expired message is never delivered.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReceiveAsync_ExpiredMessage_IsNotDelivered()
    {
        var layer = Layer(new ChannelLayerTestOptions { Expiry = TimeSpan.FromSeconds(1) });
        await layer.SendAsync("expiry.channel", Numbered("test.old", 1));

        await AdvanceTimeAsync(TimeSpan.FromSeconds(1.5));
        await layer.SendAsync("expiry.channel", Numbered("test.new", 2));

        Assert.Equal(2, (await ReceiveAsync(layer, "expiry.channel")).GetInt64("n"));
    }

    /// <summary>A message younger than the expiry is delivered.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReceiveAsync_MessageBeforeExpiry_IsDelivered()
    {
        var layer = Layer(new ChannelLayerTestOptions { Expiry = TimeSpan.FromSeconds(2) });
        await layer.SendAsync("expiry.channel", Numbered("test.young", 1));

        await AdvanceTimeAsync(TimeSpan.FromSeconds(0.5));

        Assert.Equal(1, (await ReceiveAsync(layer, "expiry.channel")).GetInt64("n"));
    }

    /// <summary>Expired messages do not count against the capacity.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task SendAsync_ExpiredMessages_DoNotCountAgainstCapacity()
    {
        var layer = Layer(new ChannelLayerTestOptions { Expiry = TimeSpan.FromSeconds(1), Capacity = 2 });
        await layer.SendAsync("expiry.channel", Numbered("test.old", 1));
        await layer.SendAsync("expiry.channel", Numbered("test.old", 2));

        await AdvanceTimeAsync(TimeSpan.FromSeconds(1.5));
        await layer.SendAsync("expiry.channel", Numbered("test.new", 3));
        await layer.SendAsync("expiry.channel", Numbered("test.new", 4));

        Assert.Equal(3, (await ReceiveAsync(layer, "expiry.channel")).GetInt64("n"));
        Assert.Equal(4, (await ReceiveAsync(layer, "expiry.channel")).GetInt64("n"));
    }
}
