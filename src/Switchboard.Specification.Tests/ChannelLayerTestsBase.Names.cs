using Xunit;

namespace Switchboard.Specification.Tests;

public abstract partial class ChannelLayerTestsBase
{
    private const string Name99 =
        "a123456789b123456789c123456789d123456789e123456789f123456789g123456789h123456789i123456789j12345678";

    private const string Name100 = Name99 + "9";

    /// <summary>Every operation that takes a channel name rejects an invalid one with an <see cref="ArgumentException"/>.</summary>
    /// <param name="name">The invalid name.</param>
    /// <returns>The test.</returns>
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("two!bangs!here")]
    [InlineData("!leading")]
    [InlineData("ünïcode")]
    [InlineData(Name100)]
    public async Task EveryOperation_InvalidChannelName_ThrowsArgumentException(string? name)
    {
        var layer = Layer();
        using var timeout = new CancellationTokenSource(DefaultTimeout); // bounds a receive that wrongly accepts the name
        await AssertInvalidAsync(() => layer.SendAsync(name!, new LayerMessage("test.invalid")));
        await AssertInvalidAsync(async () => await layer.ReceiveAsync(name!, timeout.Token));
        await AssertInvalidAsync(() => layer.GroupAddAsync("room", name!));
        await AssertInvalidAsync(() => layer.GroupDiscardAsync("room", name!));
    }

    /// <summary>Every operation that takes a group name rejects an invalid one (including one with <c>!</c>) with an
    /// <see cref="ArgumentException"/>.</summary>
    /// <param name="name">The invalid name.</param>
    /// <returns>The test.</returns>
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("group!bang")]
    [InlineData("ünïcode")]
    [InlineData(Name100)]
    public async Task EveryOperation_InvalidGroupName_ThrowsArgumentException(string? name)
    {
        var layer = Layer();
        await AssertInvalidAsync(() => layer.GroupAddAsync(name!, "member.one"));
        await AssertInvalidAsync(() => layer.GroupDiscardAsync(name!, "member.one"));
        await AssertInvalidAsync(() => layer.GroupSendAsync(name!, new LayerMessage("test.invalid")));
    }

    /// <summary>Names of 99 characters (the longest allowed) and the allowed punctuation work for every operation.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task EveryOperation_LongestValidNames_Work()
    {
        var layer = Layer();
        const string Channel = "Valid-name_with.dots";
        await layer.GroupAddAsync(Name99, Name99);
        await layer.GroupAddAsync(Name99, Channel);

        await layer.GroupSendAsync(Name99, Numbered("test.long", 1));

        Assert.Equal(1, (await ReceiveAsync(layer, Name99)).GetInt64("n"));
        Assert.Equal(1, (await ReceiveAsync(layer, Channel)).GetInt64("n"));
        await layer.GroupDiscardAsync(Name99, Name99);
    }

    private static async Task AssertInvalidAsync(Func<ValueTask> operation) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await operation());
}
