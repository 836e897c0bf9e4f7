using System.Collections;
using Xunit;

namespace Switchboard.Specification.Tests;

/// <summary>
/// The channel-layer conformance suite: derive it in a test project, implement <see cref="CreateLayer"/> (and
/// <see cref="AdvanceTimeAsync"/> when the layer runs on a manual clock), and xunit runs every test against your layer.
/// The tests check Channels' layer semantics: FIFO, at-most-once, capacity and <see cref="ChannelFullException"/>,
/// per-channel capacities, expiry, groups, flush, name validation and read-only messages.
/// </summary>
/// <remarks>
/// <para>Each test creates the layers it needs through <see cref="CreateLayer"/> and the suite disposes them after the
/// test (<see cref="IDisposable"/> or <see cref="IAsyncDisposable"/>). Layers that share a server should isolate each
/// layer, for example with a key prefix per layer: the tests use fixed channel and group names.</para>
/// <para>Expiry tests use short durations (1–2 s) and <see cref="AdvanceTimeAsync"/>, so they pass both on a manual
/// clock and in real time. Every wait is bounded by <see cref="DefaultTimeout"/>.</para>
/// </remarks>
public abstract partial class ChannelLayerTestsBase : IAsyncLifetime
{
    private readonly List<IChannelLayer> _layers = [];

    /// <summary>Gets the bound on every wait in the suite.</summary>
    protected static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Creates a layer with the given settings, empty (no channels, no groups), isolated from other layers.
    /// Called by each test, possibly several times; the suite disposes what it returns.</summary>
    /// <param name="options">The settings the test needs.</param>
    /// <returns>The layer under test.</returns>
    protected abstract IChannelLayer CreateLayer(ChannelLayerTestOptions options);

    /// <summary>Lets time pass for the layers created so far: the default waits in real time; a layer on a manual
    /// clock advances that clock instead.</summary>
    /// <param name="by">How much time passes.</param>
    /// <returns>A task that completes when the time has passed.</returns>
    protected virtual Task AdvanceTimeAsync(TimeSpan by) => Task.Delay(by);

    /// <summary>Runs before each test; nothing by default.</summary>
    /// <returns>A completed task.</returns>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Runs after each test: disposes the layers the test created.</summary>
    /// <returns>A task that completes when they are disposed.</returns>
    public virtual async Task DisposeAsync()
    {
        foreach (var layer in _layers)
        {
            if (layer is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (layer is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        _layers.Clear();
    }

    /// <summary>Creates a layer through <see cref="CreateLayer"/> and disposes it after the test.</summary>
    /// <param name="options">The settings; Channels' defaults when omitted.</param>
    /// <returns>The layer.</returns>
    protected IChannelLayer Layer(ChannelLayerTestOptions? options = null)
    {
        var layer = CreateLayer(options ?? new ChannelLayerTestOptions());
        Assert.NotNull(layer);
        _layers.Add(layer);
        return layer;
    }

    /// <summary>Disposes a layer the test made itself (not through <see cref="Layer"/>) after the test.</summary>
    /// <param name="layer">The layer.</param>
    protected void TrackForDisposal(IChannelLayer layer) => _layers.Add(layer);

    /// <summary>Receives the next message on a channel, failing the test when none comes within <see cref="DefaultTimeout"/>.
    /// The receive is cancelled on timeout, so it cannot take a later message.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="channel">The channel.</param>
    /// <returns>The message.</returns>
    protected static async Task<LayerMessage> ReceiveAsync(IChannelLayer layer, string channel)
    {
        ArgumentNullException.ThrowIfNull(layer);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        try
        {
            return await layer.ReceiveAsync(channel, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No message arrived on '{channel}' within {DefaultTimeout}.");
        }
    }

    /// <summary>Creates a message with a number, to tell messages apart.</summary>
    /// <param name="type">The message type.</param>
    /// <param name="n">The number, stored under <c>n</c>.</param>
    /// <returns>The message.</returns>
    protected static LayerMessage Numbered(string type, long n) => new(type) { ["n"] = n };

    /// <summary>Asserts that the next message on a channel is a given marker: nothing else is queued before it. Sends
    /// the marker first. Proves that a message did not arrive without waiting for it to not arrive.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="channel">The channel.</param>
    /// <returns>A task that completes when the marker was received.</returns>
    protected static async Task AssertNothingQueuedAsync(IChannelLayer layer, string channel)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var marker = "marker." + Guid.NewGuid().ToString("N");
        await layer.SendAsync(channel, new LayerMessage("test.marker") { ["marker"] = marker });
        var next = await ReceiveAsync(layer, channel);
        Assert.True(
            next.Type == "test.marker" && next.TryGetValue("marker", out var value) && Equals(value, marker),
            $"Expected nothing queued on '{channel}', but received a '{next.Type}' message before the marker.");
    }

    /// <summary>Asserts that a received value equals the expected one in the channel-layer type system (same kinds:
    /// an integer is not a double), recursing into lists and maps.</summary>
    /// <param name="expected">The expected value, as the layer normalises it (<see cref="long"/> for integers).</param>
    /// <param name="actual">The received value.</param>
    /// <param name="path">Where the value is, for the failure message.</param>
    protected static void AssertLayerValueEqual(object? expected, object? actual, string path = "$")
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected null, got {Describe(actual)}.");
                break;
            case byte[] bytes:
                Assert.True(actual is byte[] actualBytes && bytes.AsSpan().SequenceEqual(actualBytes), $"{path}: expected {bytes.Length} bytes, got {Describe(actual)}.");
                break;
            case string text:
                Assert.True(actual is string actualText && actualText == text, $"{path}: expected \"{text}\", got {Describe(actual)}.");
                break;
            case IReadOnlyDictionary<string, object?> map:
                var actualMap = actual as IReadOnlyDictionary<string, object?>;
                Assert.True(actualMap is not null && actualMap.Count == map.Count, $"{path}: expected a map of {map.Count}, got {Describe(actual)}.");
                foreach (var (key, value) in map)
                {
                    Assert.True(actualMap!.TryGetValue(key, out var actualValue), $"{path}: the key '{key}' is missing.");
                    AssertLayerValueEqual(value, actualValue, $"{path}.{key}");
                }

                break;
            case IEnumerable list:
                var expectedItems = list.Cast<object?>().ToList();
                var actualItems = (actual as IEnumerable)?.Cast<object?>().ToList();
                Assert.True(actual is not string && actual is not byte[] && actualItems?.Count == expectedItems.Count, $"{path}: expected a list of {expectedItems.Count}, got {Describe(actual)}.");
                for (var i = 0; i < expectedItems.Count; i++)
                {
                    AssertLayerValueEqual(expectedItems[i], actualItems![i], $"{path}[{i}]");
                }

                break;
            default:
                Assert.True(Equals(expected, actual), $"{path}: expected {expected} ({expected.GetType().Name}), got {Describe(actual)}.");
                break;
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        byte[] b => $"{b.Length} bytes",
        IEnumerable e => $"a {value.GetType().Name} of {e.Cast<object?>().Count()}",
        _ => $"{value} ({value.GetType().Name})",
    };

    /// <summary>Messages on one channel arrive in the order they were sent.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReceiveAsync_MessagesOnOneChannel_ArriveInOrder()
    {
        var layer = Layer();
        for (var n = 0; n < 50; n++)
        {
            await layer.SendAsync("fifo.channel", Numbered("test.fifo", n));
        }

        for (var n = 0; n < 50; n++)
        {
            Assert.Equal(n, (await ReceiveAsync(layer, "fifo.channel")).GetInt64("n"));
        }
    }

    /// <summary>Messages stay on the channel they were sent to.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReceiveAsync_TwoChannels_KeepTheirOwnMessages()
    {
        var layer = Layer();
        await layer.SendAsync("channel.one", Numbered("test.one", 1));
        await layer.SendAsync("channel.two", Numbered("test.two", 2));

        Assert.Equal(2, (await ReceiveAsync(layer, "channel.two")).GetInt64("n"));
        Assert.Equal(1, (await ReceiveAsync(layer, "channel.one")).GetInt64("n"));
    }

    /// <summary>Several readers on one normal channel: each message reaches exactly one of them.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReceiveAsync_ConcurrentReceiversOnOneChannel_EachMessageReachesExactlyOne()
    {
        const int Count = 200;
        const int Readers = 4;
        var layer = Layer(new ChannelLayerTestOptions { Capacity = Count * 2 });
        using var done = new CancellationTokenSource(DefaultTimeout);
        var total = 0;
        var readers = Enumerable.Range(0, Readers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>();
            try
            {
                while (true)
                {
                    var message = await layer.ReceiveAsync("work.queue", done.Token);
                    mine.Add(message.GetInt64("n"));
                    if (Interlocked.Increment(ref total) == Count)
                    {
                        await done.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return mine;
            }
        })).ToArray();

        for (var n = 0; n < Count; n++)
        {
            await layer.SendAsync("work.queue", Numbered("test.work", n));
        }

        var received = (await Task.WhenAll(readers).WaitAsync(DefaultTimeout)).SelectMany(mine => mine).Order().ToList();
        Assert.Equal(Enumerable.Range(0, Count).Select(n => (long)n), received);
    }

    /// <summary>A receive on an empty channel waits until a message is sent.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReceiveAsync_EmptyChannel_WaitsUntilSend()
    {
        var layer = Layer();
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        var receive = layer.ReceiveAsync("waiting.channel", timeout.Token).AsTask();
        await Task.Yield();
        Assert.False(receive.IsCompleted, "A receive on an empty channel completed before anything was sent.");

        await layer.SendAsync("waiting.channel", Numbered("test.wake", 7));

        Assert.Equal(7, (await receive.WaitAsync(DefaultTimeout)).GetInt64("n"));
    }

    /// <summary>A cancelled receive throws <see cref="OperationCanceledException"/> and takes nothing: the next
    /// receive gets the message sent after it.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReceiveAsync_Cancelled_TakesNoMessage()
    {
        var layer = Layer();
        using var cts = new CancellationTokenSource();
        var receive = layer.ReceiveAsync("cancel.channel", cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive.WaitAsync(DefaultTimeout));

        await layer.SendAsync("cancel.channel", Numbered("test.after", 1));

        Assert.Equal(1, (await ReceiveAsync(layer, "cancel.channel")).GetInt64("n"));
    }

    /// <summary>A receive with an already-cancelled token throws and takes nothing.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReceiveAsync_AlreadyCancelledToken_ThrowsAndTakesNoMessage()
    {
        var layer = Layer();
        await layer.SendAsync("cancel.channel", Numbered("test.kept", 1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => layer.ReceiveAsync("cancel.channel", new CancellationToken(true)).AsTask());

        Assert.Equal(1, (await ReceiveAsync(layer, "cancel.channel")).GetInt64("n"));
    }

    /// <summary>A receive cancelled while a message is being sent either returns that message or takes nothing, in
    /// which case the next receive gets it: a message is never lost to a cancellation.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReceiveAsync_CancelledWhileMessageArrives_NeverLosesTheMessage()
    {
        var layer = Layer();
        for (var i = 0; i < 50; i++)
        {
            var n = i;
            using var cts = new CancellationTokenSource();
            var receive = layer.ReceiveAsync("race.channel", cts.Token).AsTask();
            var send = Task.Run(async () => await layer.SendAsync("race.channel", Numbered("test.race", n)));
            await cts.CancelAsync();
            await send.WaitAsync(DefaultTimeout);

            LayerMessage received;
            try
            {
                received = await receive.WaitAsync(DefaultTimeout);
            }
            catch (OperationCanceledException)
            {
                received = await ReceiveAsync(layer, "race.channel");
            }

            Assert.Equal(n, received.GetInt64("n"));
        }

        await AssertNothingQueuedAsync(layer, "race.channel");
    }

    /// <summary>New channel names are unique, valid, process-specific and start with the prefix; messages reach them.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task NewChannelAsync_ReturnsUniqueValidProcessSpecificNames()
    {
        var layer = Layer();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            var name = await layer.NewChannelAsync();
            Assert.True(ChannelNames.IsValidChannelName(name), $"'{name}' is not a valid channel name.");
            Assert.True(ChannelNames.IsProcessSpecific(name), $"'{name}' is not process-specific.");
            Assert.StartsWith("specific.", name, StringComparison.Ordinal);
            Assert.True(names.Add(name), $"'{name}' was returned twice.");
        }

        var custom = await layer.NewChannelAsync("custom.prefix");
        Assert.StartsWith("custom.prefix.", custom, StringComparison.Ordinal);
        Assert.True(ChannelNames.IsValidChannelName(custom) && ChannelNames.IsProcessSpecific(custom), custom);

        await layer.SendAsync(custom, Numbered("test.specific", 3));
        Assert.Equal(3, (await ReceiveAsync(layer, custom)).GetInt64("n"));
    }

    /// <summary>A prefix that cannot start a channel name is rejected.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <returns>The test.</returns>
    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("bang!")]
    public async Task NewChannelAsync_InvalidPrefix_ThrowsArgumentException(string prefix)
    {
        var layer = Layer();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => layer.NewChannelAsync(prefix).AsTask());
    }
}
