using Xunit;

namespace Switchboard.Specification.Tests;

public abstract partial class ChannelLayerTestsBase
{
    /// <summary>A group send reaches every member once, with the same content.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupSendAsync_ReachesEveryMemberWithTheSameContent()
    {
        var layer = Layer();
        string[] members = ["member.one", "member.two", "member.three"];
        foreach (var member in members)
        {
            await layer.GroupAddAsync("room", member);
        }

        await layer.GroupSendAsync("room", new LayerMessage("chat.message") { ["message"] = "hello", ["data"] = new byte[] { 1, 2 } });

        foreach (var member in members)
        {
            var received = await ReceiveAsync(layer, member);
            Assert.Equal("chat.message", received.Type);
            Assert.Equal("hello", received.GetString("message"));
            Assert.Equal(new byte[] { 1, 2 }, received.GetBytes("data"));
            await AssertNothingQueuedAsync(layer, member);
        }
    }

    /// <summary>Adding a channel twice is one membership: it gets a group message once.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupAddAsync_Twice_DeliversOnce()
    {
        var layer = Layer();
        await layer.GroupAddAsync("room", "member.one");
        await layer.GroupAddAsync("room", "member.one");

        await layer.GroupSendAsync("room", Numbered("test.group", 1));

        Assert.Equal(1, (await ReceiveAsync(layer, "member.one")).GetInt64("n"));
        await AssertNothingQueuedAsync(layer, "member.one");
    }

    /// <summary>A discarded channel no longer gets group messages; the other members still do.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupDiscardAsync_Member_StopsDelivery()
    {
        var layer = Layer();
        await layer.GroupAddAsync("room", "member.one");
        await layer.GroupAddAsync("room", "member.two");

        await layer.GroupDiscardAsync("room", "member.one");
        await layer.GroupSendAsync("room", Numbered("test.group", 1));

        Assert.Equal(1, (await ReceiveAsync(layer, "member.two")).GetInt64("n"));
        await AssertNothingQueuedAsync(layer, "member.one");
    }

    /// <summary>Discarding a channel that is not a member, or from an unknown group, does nothing.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupDiscardAsync_NotAMember_IsNoOp()
    {
        var layer = Layer();
        await layer.GroupAddAsync("room", "member.one");

        await layer.GroupDiscardAsync("room", "member.stranger");
        await layer.GroupDiscardAsync("unknown", "member.one");
        await layer.GroupSendAsync("room", Numbered("test.group", 1));

        Assert.Equal(1, (await ReceiveAsync(layer, "member.one")).GetInt64("n"));
    }

    /// <summary>A channel can rejoin a group after leaving it, and the group can be emptied and refilled.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupAddAsync_AfterDiscard_RejoinsTheGroup()
    {
        var layer = Layer();
        await layer.GroupAddAsync("room", "member.one");
        await layer.GroupDiscardAsync("room", "member.one");
        await layer.GroupAddAsync("room", "member.one");

        await layer.GroupSendAsync("room", Numbered("test.group", 1));

        Assert.Equal(1, (await ReceiveAsync(layer, "member.one")).GetInt64("n"));
        await AssertNothingQueuedAsync(layer, "member.one");
    }

    /// <summary>A group send to an unknown or emptied group does nothing and does not throw.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupSendAsync_EmptyOrUnknownGroup_IsNoOp()
    {
        var layer = Layer();
        await layer.GroupSendAsync("nobody", Numbered("test.group", 1));
        await layer.GroupAddAsync("emptied", "member.one");
        await layer.GroupDiscardAsync("emptied", "member.one");

        await layer.GroupSendAsync("emptied", Numbered("test.group", 2));

        await AssertNothingQueuedAsync(layer, "member.one");
    }

    /// <summary>A group send never throws for a full member: that member misses the message, the others get it.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupSendAsync_FullMember_DoesNotThrowAndOthersReceive()
    {
        var layer = Layer(new ChannelLayerTestOptions { Capacity = 1 });
        await layer.GroupAddAsync("room", "member.full");
        await layer.GroupAddAsync("room", "member.free");
        await layer.SendAsync("member.full", Numbered("test.direct", 1));

        await layer.GroupSendAsync("room", Numbered("test.group", 2));

        Assert.Equal(2, (await ReceiveAsync(layer, "member.free")).GetInt64("n"));
        var first = await ReceiveAsync(layer, "member.full");
        Assert.Equal("test.direct", first.Type);
        await AssertNothingQueuedAsync(layer, "member.full");
    }

    /// <summary>A membership older than the group expiry is ignored by group send.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupSendAsync_ExpiredMembership_IsSkipped()
    {
        var layer = Layer(new ChannelLayerTestOptions { GroupExpiry = TimeSpan.FromSeconds(1) });
        await layer.GroupAddAsync("room", "member.old");

        await AdvanceTimeAsync(TimeSpan.FromSeconds(1.5));
        await layer.GroupAddAsync("room", "member.new");
        await layer.GroupSendAsync("room", Numbered("test.group", 1));

        Assert.Equal(1, (await ReceiveAsync(layer, "member.new")).GetInt64("n"));
        await AssertNothingQueuedAsync(layer, "member.old");
    }

    /// <summary>Adding a member again refreshes its membership: the group expiry counts from the last add.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupAddAsync_Again_RefreshesMembership()
    {
        var layer = Layer(new ChannelLayerTestOptions { GroupExpiry = TimeSpan.FromSeconds(2) });
        await layer.GroupAddAsync("room", "member.one");
        await AdvanceTimeAsync(TimeSpan.FromSeconds(1.2));
        await layer.GroupAddAsync("room", "member.one");

        await AdvanceTimeAsync(TimeSpan.FromSeconds(1.2));
        await layer.GroupSendAsync("room", Numbered("test.group", 1));

        Assert.Equal(1, (await ReceiveAsync(layer, "member.one")).GetInt64("n"));
    }

    /// <summary>Flush deletes every message and every group.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task FlushAsync_RemovesMessagesAndGroups()
    {
        var layer = Layer();
        await layer.SendAsync("flush.channel", Numbered("test.old", 1));
        await layer.GroupAddAsync("room", "member.one");

        await layer.FlushAsync();
        await layer.GroupSendAsync("room", Numbered("test.group", 2));

        await AssertNothingQueuedAsync(layer, "flush.channel");
        await AssertNothingQueuedAsync(layer, "member.one");
        await layer.SendAsync("flush.channel", Numbered("test.new", 3));
        Assert.Equal(3, (await ReceiveAsync(layer, "flush.channel")).GetInt64("n"));
    }
}
