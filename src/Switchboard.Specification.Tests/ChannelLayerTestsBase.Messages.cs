using Xunit;

namespace Switchboard.Specification.Tests;

public abstract partial class ChannelLayerTestsBase
{
    /// <summary>Every value kind of the channel-layer type system survives a send and a receive, with its kind.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task SendReceive_EveryAllowedValueType_RoundTrips()
    {
        var expected = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["null"] = null,
            ["true"] = true,
            ["false"] = false,
            ["zero"] = 0L,
            ["int"] = 42L,
            ["negative"] = -7L,
            ["min"] = long.MinValue,
            ["max"] = long.MaxValue,
            ["double"] = 3.25,
            ["negativeDouble"] = -0.5,
            ["string"] = "héllo, wörld ✓",
            ["emptyString"] = string.Empty,
            ["bytes"] = new byte[] { 0, 1, 127, 128, 255 },
            ["emptyBytes"] = Array.Empty<byte>(),
            ["list"] = new object?[] { 1L, "two", null, 4.5, new object?[] { true } },
            ["emptyList"] = Array.Empty<object?>(),
            ["map"] = new Dictionary<string, object?> { ["a"] = 1L, ["b"] = new Dictionary<string, object?> { ["c"] = new object?[] { "d" } } },
            ["emptyMap"] = new Dictionary<string, object?>(),
        };
        var message = new LayerMessage("test.values");
        foreach (var (key, value) in expected)
        {
            message[key] = value;
        }

        message["fromInt"] = 5; // an int widens to a long
        message["fromFloat"] = 1.5f; // a float widens to a double
        var layer = Layer();

        await layer.SendAsync("values.channel", message);
        var received = await ReceiveAsync(layer, "values.channel");

        Assert.Equal("test.values", received.Type);
        foreach (var (key, value) in expected)
        {
            Assert.True(received.TryGetValue(key, out var actual), $"The key '{key}' is missing.");
            AssertLayerValueEqual(value, actual, key);
        }

        AssertLayerValueEqual(5L, received["fromInt"], "fromInt");
        AssertLayerValueEqual(1.5, received["fromFloat"], "fromFloat");
    }

    /// <summary>A sent message becomes read-only: changing it afterwards throws, so a layer may deliver it as is.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task SendAsync_Message_BecomesReadOnly()
    {
        var layer = Layer();
        var message = new LayerMessage("test.frozen") { ["text"] = "before" };

        await layer.SendAsync("frozen.channel", message);

        Assert.True(message.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => message["text"] = "after");
        Assert.Equal("before", (await ReceiveAsync(layer, "frozen.channel")).GetString("text"));
    }

    /// <summary>A message sent to a group becomes read-only.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupSendAsync_Message_BecomesReadOnly()
    {
        var layer = Layer();
        await layer.GroupAddAsync("frozen", "frozen.member");
        var message = new LayerMessage("test.frozen") { ["text"] = "before" };

        await layer.GroupSendAsync("frozen", message);

        Assert.True(message.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => message["text"] = "after");
        Assert.Equal("before", (await ReceiveAsync(layer, "frozen.member")).GetString("text"));
    }
}
