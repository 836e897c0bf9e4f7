using Xunit;

namespace Switchboard.Specification.Tests;

public abstract partial class ChannelLayerTestsBase
{
    /// <summary>A burst far beyond the count capacity into a consumer's process-specific channel arrives complete and in
    /// order: those channels are bounded by bytes, not by a count.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupSendAsync_BurstBeyondCapacityToSpecificChannel_ArrivesCompleteInOrder()
    {
        var layer = Layer(new ChannelLayerTestOptions { Capacity = 10 });
        var channel = await layer.NewChannelAsync();
        await layer.GroupAddAsync("room", channel);

        for (var i = 0; i < 1000; i++)
        {
            await layer.GroupSendAsync("room", Numbered("test.burst", i));
        }

        for (var i = 0; i < 1000; i++)
        {
            var message = await ReceiveAsync(layer, channel);
            Assert.Equal("test.burst", message.Type);
            Assert.Equal(i, message.GetInt64("n"));
        }

        await AssertNothingQueuedAsync(layer, channel);
    }

    /// <summary>Group sends beyond a process-specific channel's byte budget are dropped, and its reader finds one marker
    /// with their count in their place, then the messages that fitted again.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupSendAsync_OverSpecificChannelBudget_LeavesOneMarkerWithTheCount()
    {
        var layer = Layer(new ChannelLayerTestOptions { SpecificChannelMaxBytes = 4096 });
        var slow = await layer.NewChannelAsync();
        var fast = await layer.NewChannelAsync();
        await layer.GroupAddAsync("room", slow);
        await layer.GroupAddAsync("room", fast);
        var payload = new string('x', 100);

        // Far more than 4 KiB for the slow reader, which reads nothing meanwhile; the fast one reads as it goes.
        const int Sent = 200;
        for (var i = 0; i < Sent; i++)
        {
            await layer.GroupSendAsync("room", new LayerMessage("test.burst") { ["n"] = i, ["text"] = payload });
            Assert.Equal(i, (await ReceiveAsync(layer, fast)).GetInt64("n"));
        }

        var kept = 0;
        var next = await ReceiveAsync(layer, slow);
        while (next.Type == "test.burst")
        {
            Assert.Equal(kept, next.GetInt64("n"));
            kept++;
            next = await ReceiveAsync(layer, slow);
        }

        Assert.Equal(DroppedMessages.Type, next.Type);
        Assert.Equal(DroppedMessages.Budget, next.GetString(DroppedMessages.ReasonKey));
        Assert.Equal(Sent - kept, next.GetInt64(DroppedMessages.CountKey));
        Assert.InRange(kept, 1, Sent - 1);

        // Once read, the channel has room again: the next group message arrives.
        await layer.GroupSendAsync("room", new LayerMessage("test.after"));
        Assert.Equal("test.after", (await ReceiveAsync(layer, slow)).Type);
        Assert.Equal("test.after", (await ReceiveAsync(layer, fast)).Type);
    }

    /// <summary>A direct send to a process-specific channel over its budget tells the sender: <see cref="ChannelFullException"/>.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task SendAsync_SpecificChannelOverBudget_ThrowsChannelFull()
    {
        var layer = Layer(new ChannelLayerTestOptions { SpecificChannelMaxBytes = 2048 });
        var channel = await layer.NewChannelAsync();
        var payload = new string('x', 200);

        var full = await Assert.ThrowsAsync<ChannelFullException>(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                await layer.SendAsync(channel, new LayerMessage("test.direct") { ["n"] = i, ["text"] = payload });
            }
        });

        Assert.Equal(channel, full.Channel);
        Assert.Equal(2048, full.MaxBytes);
        Assert.Equal(0, (await ReceiveAsync(layer, channel)).GetInt64("n"));
    }

    /// <summary>Messages that expire unread on a process-specific channel leave a marker with their count, reason
    /// <c>expired</c>, so a consumer that was stuck learns that it missed them.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReceiveAsync_SpecificChannelMessagesExpired_GetsAnExpiredMarker()
    {
        var layer = Layer(new ChannelLayerTestOptions { Expiry = TimeSpan.FromSeconds(1) });
        var channel = await layer.NewChannelAsync();
        await layer.GroupAddAsync("room", channel);
        await layer.GroupSendAsync("room", Numbered("test.old", 1));
        await layer.GroupSendAsync("room", Numbered("test.old", 2));

        await AdvanceTimeAsync(TimeSpan.FromSeconds(2));
        await layer.SendAsync(channel, Numbered("test.new", 3));

        var marker = await ReceiveAsync(layer, channel);
        Assert.Equal(DroppedMessages.Type, marker.Type);
        Assert.Equal(DroppedMessages.Expired, marker.GetString(DroppedMessages.ReasonKey));
        Assert.Equal(2, marker.GetInt64(DroppedMessages.CountKey));
        Assert.Equal(3, (await ReceiveAsync(layer, channel)).GetInt64("n"));
    }
}
