using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Specification.Tests;
using Switchboard.Testing;

namespace Switchboard.Tests.Layers;

/// <summary>The conformance suite on the in-memory layer (on a manual clock), plus what only this layer promises.</summary>
public sealed class InMemoryChannelLayerTests : ChannelLayerTestsBase
{
    private static readonly TimeSpan s_expiry = InMemoryChannelLayerOptions.DefaultExpiry;
    private readonly ManualTimeProvider _time = new();

    protected override IChannelLayer CreateLayer(ChannelLayerTestOptions options) => CreateInMemoryLayer(options, meterFactory: null);

    protected override Task AdvanceTimeAsync(TimeSpan by)
    {
        _time.Advance(by);
        return Task.CompletedTask;
    }

    private InMemoryChannelLayer CreateInMemoryLayer(ChannelLayerTestOptions options, IMeterFactory? meterFactory) =>
        new(options, _time, NullLogger<InMemoryChannelLayer>.Instance, meterFactory);

    private InMemoryChannelLayer InMemoryLayer(ChannelLayerTestOptions? options = null) => (InMemoryChannelLayer)Layer(options);

    [Fact]
    public async Task GroupSendAsync_EveryMember_GetsTheSameInstance()
    {
        var layer = InMemoryLayer();
        await layer.GroupAddAsync("room", "member.one");
        await layer.GroupAddAsync("room", "member.two");
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        var waiting = layer.ReceiveAsync("member.two", timeout.Token).AsTask(); // handed over directly
        var message = new LayerMessage("chat.message") { ["message"] = "hi" };

        await layer.GroupSendAsync("room", message);

        Assert.Same(message, await ReceiveAsync(layer, "member.one"));
        Assert.Same(message, await waiting.WaitAsync(DefaultTimeout));
    }

    [Fact]
    public async Task ReceiveAsync_ProcessSpecificName_Works()
    {
        var layer = InMemoryLayer();
        await layer.SendAsync("specific.abc!def", Numbered("test.specific", 1));

        Assert.Equal(1, (await ReceiveAsync(layer, "specific.abc!def")).GetInt64("n"));
    }

    [Fact]
    public async Task NewChannelAsync_Name_IsPrefixLayerIdBangLocal()
    {
        var layer = InMemoryLayer();
        var other = InMemoryLayer();

        var first = await layer.NewChannelAsync("prefix");
        var second = await layer.NewChannelAsync("prefix");
        var fromOther = await other.NewChannelAsync("prefix");

        Assert.Matches("^prefix\\.[A-Za-z]{12}![A-Za-z]{12}$", first);
        Assert.Equal(ChannelNames.GetProcessPart(first), ChannelNames.GetProcessPart(second));
        Assert.NotEqual(ChannelNames.GetProcessPart(first), ChannelNames.GetProcessPart(fromOther));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task NewChannelAsync_LongestPrefix_MakesAValidName()
    {
        var layer = InMemoryLayer();
        var prefix = new string('p', InMemoryChannelLayer.MaxPrefixLength);

        var name = await layer.NewChannelAsync(prefix);

        Assert.Equal(ChannelNames.MaxLength - 1, name.Length);
        Assert.True(ChannelNames.IsValidChannelName(name));
        await Assert.ThrowsAsync<ArgumentException>(() => layer.NewChannelAsync(prefix + "p").AsTask());
    }

    [Fact]
    public async Task ReceiveAsync_CancelledOnIdleChannel_RemovesTheQueueAtOnce()
    {
        // Found by the churn soak: every departed consumer's queue stayed until the next sweep, up to an expiry later.
        var layer = InMemoryLayer();
        using (var cts = new CancellationTokenSource())
        {
            var cancelled = layer.ReceiveAsync("departed.consumer", cts.Token).AsTask();
            Assert.Equal(1, layer.ChannelCount);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(DefaultTimeout));
        }

        Assert.Equal(0, layer.ChannelCount);

        // The channel still works: a send after the removal is kept for the next reader.
        await layer.SendAsync("departed.consumer", Numbered("test.after", 1));
        Assert.Equal("test.after", (await layer.ReceiveAsync("departed.consumer").AsTask().WaitAsync(DefaultTimeout)).Type);
    }

    [Fact]
    public async Task ReceiveOrNullAsync_Backlog_MovesTheFollowingMessagesInOrderUpToTheLimit()
    {
        var layer = InMemoryLayer();
        IQuietReceive quiet = layer;
        var channel = await layer.NewChannelAsync();
        var count = IQuietReceive.MaxFollowing + 8;
        for (var i = 0; i < count; i++)
        {
            await layer.SendAsync(channel, Numbered("test.burst", i));
        }

        var following = new List<LayerMessage>();
        var first = await quiet.ReceiveOrNullAsync(channel, following, CancellationToken.None);

        Assert.Equal(0L, first!["n"]);
        Assert.Equal(Enumerable.Range(1, IQuietReceive.MaxFollowing).Select(i => (long)i), following.Select(m => (long)m["n"]!));
        following.Clear();
        var next = await quiet.ReceiveOrNullAsync(channel, following, CancellationToken.None);
        Assert.Equal((long)IQuietReceive.MaxFollowing + 1, next!["n"]);
        Assert.Equal(Enumerable.Range(IQuietReceive.MaxFollowing + 2, 6).Select(i => (long)i), following.Select(m => (long)m["n"]!));
    }

    [Fact]
    public async Task ReceiveOrNullAsync_CancelledWhileWaiting_CompletesWithNullAndRemovesTheQueue()
    {
        // The consumer's listening loop ends its receive this way at every connection end, without a throw.
        var layer = InMemoryLayer();
        IQuietReceive quiet = layer;
        using (var cts = new CancellationTokenSource())
        {
            var cancelled = quiet.ReceiveOrNullAsync("departed.consumer", following: null, cts.Token).AsTask();
            await cts.CancelAsync();
            Assert.Null(await cancelled.WaitAsync(DefaultTimeout));
        }

        Assert.Equal(0, layer.ChannelCount);
        using (var cancelledBefore = new CancellationTokenSource())
        {
            await cancelledBefore.CancelAsync();
            Assert.Null(await quiet.ReceiveOrNullAsync("departed.consumer", following: null, cancelledBefore.Token));
        }

        // A message is still received as a message, and the public receive still throws when cancelled.
        await layer.SendAsync("departed.consumer", Numbered("test.after", 1));
        Assert.Equal("test.after", (await quiet.ReceiveOrNullAsync("departed.consumer", following: null, CancellationToken.None).AsTask().WaitAsync(DefaultTimeout))?.Type);
        using var again = new CancellationTokenSource();
        var loud = layer.ReceiveAsync("departed.consumer", again.Token).AsTask();
        await again.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loud.WaitAsync(DefaultTimeout));
    }

    [Fact]
    public async Task ReceiveAsync_CancelledWhileAnotherWaits_KeepsTheQueue()
    {
        var layer = InMemoryLayer();
        var waiting = layer.ReceiveAsync("shared").AsTask();
        using (var cts = new CancellationTokenSource())
        {
            var cancelled = layer.ReceiveAsync("shared", cts.Token).AsTask();
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(DefaultTimeout));
        }

        Assert.Equal(1, layer.ChannelCount);
        await layer.SendAsync("shared", Numbered("test.one", 1));
        Assert.Equal("test.one", (await waiting.WaitAsync(DefaultTimeout)).Type);
    }

    [Fact]
    public async Task Sweep_AbandonedChannel_FreesItsMessagesAndQueue()
    {
        var layer = InMemoryLayer();
        await layer.SendAsync("abandoned", Numbered("test.unread", 1));
        await layer.SendAsync("drained", Numbered("test.read", 1));
        await layer.ReceiveAsync("drained"); // an idle queue stays until the sweep

        Assert.Equal(2, layer.ChannelCount);

        _time.Advance(s_expiry); // the sweep runs once per expiry

        Assert.Equal(0, layer.ChannelCount);
    }

    [Fact]
    public async Task Sweep_WaitingReceive_KeepsItsChannel()
    {
        var layer = InMemoryLayer();
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        var waiting = layer.ReceiveAsync("patient.reader", timeout.Token).AsTask();

        _time.Advance(s_expiry * 3);
        await layer.SendAsync("patient.reader", Numbered("test.late", 1));

        Assert.Equal(1, (await waiting.WaitAsync(DefaultTimeout)).GetInt64("n"));
    }

    [Fact]
    public async Task Sweep_ExpiredMemberships_RemovesThemAndEmptyGroups()
    {
        var layer = InMemoryLayer(new ChannelLayerTestOptions { GroupExpiry = TimeSpan.FromSeconds(30) });
        await layer.GroupAddAsync("room", "member.one");
        Assert.Equal(1, layer.GroupCount);

        _time.Advance(s_expiry);

        Assert.Equal(0, layer.GroupCount);
    }

    [Fact]
    public async Task Sweep_ExpiredUnreadMessage_RemovesTheChannelFromEveryGroup()
    {
        var layer = InMemoryLayer();
        await layer.GroupAddAsync("room", "member.dead");
        await layer.GroupAddAsync("room", "member.alive");
        await layer.GroupAddAsync("lobby", "member.dead");
        await layer.SendAsync("member.dead", Numbered("test.unread", 1));

        _time.Advance(s_expiry * 1.5);
        await layer.GroupSendAsync("room", Numbered("test.group", 2));
        await layer.GroupSendAsync("lobby", Numbered("test.group", 3));

        Assert.Equal(2, (await ReceiveAsync(layer, "member.alive")).GetInt64("n"));
        await AssertNothingQueuedAsync(layer, "member.dead");
        Assert.Equal(1, layer.GroupCount); // "lobby" emptied and went away
    }

    [Fact]
    public async Task SendAsync_FindingAnExpiredMessage_RemovesTheChannelFromEveryGroup()
    {
        var layer = InMemoryLayer();
        await layer.GroupAddAsync("room", "member.dead");
        _time.Advance(s_expiry / 2);
        await layer.SendAsync("member.dead", Numbered("test.unread", 1));

        _time.Advance(s_expiry * 1.1); // past the message's expiry, before the second sweep
        await layer.SendAsync("member.dead", Numbered("test.direct", 2)); // purges the expired message
        await layer.GroupSendAsync("room", Numbered("test.group", 3));

        Assert.Equal(2, (await ReceiveAsync(layer, "member.dead")).GetInt64("n"));
        await AssertNothingQueuedAsync(layer, "member.dead");
    }

    [Fact]
    public async Task GroupSendAsync_AfterManyDiscards_ReachesExactlyTheRemainingMembers()
    {
        var layer = InMemoryLayer();
        for (var i = 0; i < 100; i++)
        {
            await layer.GroupAddAsync("big", $"member.{i}");
        }

        for (var i = 0; i < 100; i += 3)
        {
            await layer.GroupDiscardAsync("big", $"member.{i}"); // 34 discards
        }

        for (var i = 1; i < 100; i += 3)
        {
            await layer.GroupDiscardAsync("big", $"member.{i}"); // 33 more: compaction
        }

        await layer.GroupAddAsync("big", "member.0"); // rejoin after compaction
        await layer.GroupSendAsync("big", Numbered("test.group", 1));

        for (var i = 0; i < 100; i++)
        {
            var expected = i == 0 || i % 3 == 2;
            if (expected)
            {
                Assert.Equal(1, (await ReceiveAsync(layer, $"member.{i}")).GetInt64("n"));
            }

            await AssertNothingQueuedAsync(layer, $"member.{i}");
        }
    }

    [Fact]
    public async Task GroupOperations_Concurrent_KeepMembershipConsistent()
    {
        var layer = InMemoryLayer(new ChannelLayerTestOptions { Capacity = 10_000 });
        var churn = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                await layer.GroupAddAsync("churn", $"member.{worker}.{i % 10}");
                await layer.GroupSendAsync("churn", Numbered("test.churn", i));
                await layer.GroupDiscardAsync("churn", $"member.{worker}.{i % 10}");
            }

            await layer.GroupAddAsync("churn", $"member.{worker}.final");
        })).ToArray();
        await Task.WhenAll(churn).WaitAsync(DefaultTimeout);

        await layer.GroupSendAsync("churn", Numbered("test.final", -1));

        for (var worker = 0; worker < 4; worker++)
        {
            var channel = $"member.{worker}.final";
            LayerMessage received;
            var bound = 0;
            do
            {
                received = await ReceiveAsync(layer, channel);
            }
            while (received.Type != "test.final" && ++bound < 10_000);

            Assert.Equal(-1, received.GetInt64("n"));
            await AssertNothingQueuedAsync(layer, channel);
        }
    }

    [Fact]
    public async Task ReceiveAsync_WaitingOverAndOver_GetsEveryMessage()
    {
        var layer = InMemoryLayer();
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        for (var n = 0; n < 1000; n++)
        {
            var waiting = layer.ReceiveAsync("pooled", timeout.Token);
            await layer.SendAsync("pooled", Numbered("test.pooled", n));
            Assert.Equal(n, (await waiting).GetInt64("n"));
        }
    }

    [Fact]
    public async Task ReceiveAsync_EarlierTokenCancelledLater_DoesNotCancelTheNextReceive()
    {
        var layer = InMemoryLayer();
        using var first = new CancellationTokenSource();
        var firstReceive = layer.ReceiveAsync("reused", first.Token);
        await layer.SendAsync("reused", Numbered("test.first", 1));
        Assert.Equal(1, (await firstReceive).GetInt64("n"));

        using var second = new CancellationTokenSource(DefaultTimeout);
        var secondReceive = layer.ReceiveAsync("reused", second.Token).AsTask(); // reuses the pooled waiter
        await first.CancelAsync();
        Assert.False(secondReceive.IsCompleted);
        await layer.SendAsync("reused", Numbered("test.second", 2));

        Assert.Equal(2, (await secondReceive.WaitAsync(DefaultTimeout)).GetInt64("n"));
    }

    [Fact]
    public async Task ReceiveAsync_SeveralWaiting_ServedInTheOrderTheyWaited()
    {
        var layer = InMemoryLayer();
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        using var cancelSecond = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var first = layer.ReceiveAsync("queue", timeout.Token).AsTask();
        var second = layer.ReceiveAsync("queue", cancelSecond.Token).AsTask();
        var third = layer.ReceiveAsync("queue", timeout.Token).AsTask();
        await cancelSecond.CancelAsync();

        await layer.SendAsync("queue", Numbered("test.order", 1));
        await layer.SendAsync("queue", Numbered("test.order", 2));

        Assert.Equal(1, (await first.WaitAsync(DefaultTimeout)).GetInt64("n"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(DefaultTimeout));
        Assert.Equal(2, (await third.WaitAsync(DefaultTimeout)).GetInt64("n"));
    }

    [Fact]
    public async Task Dispose_FailsWaitingReceivesAndLaterOperations()
    {
        var layer = new InMemoryChannelLayer(new InMemoryChannelLayerOptions(), _time);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        var waiting = layer.ReceiveAsync("reader", timeout.Token).AsTask();

        layer.Dispose();
        layer.Dispose(); // idempotent

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(DefaultTimeout));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => layer.SendAsync("reader", new LayerMessage("test.late")).AsTask());
    }

    [Fact]
    public async Task Metrics_CountSentReceivedExpiredAndDroppedMessages()
    {
        using var meterFactory = new TestMeterFactory();
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meterFactory && instrument.Meter.Name == "Switchboard")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                if (tag.Key == "switchboard.reason")
                {
                    key += $"/{tag.Value}";
                }
                else
                {
                    Assert.Equal(("switchboard.layer.type", "in_memory"), (tag.Key, tag.Value as string));
                }
            }

            lock (totals)
            {
                // An observable counter (messages received) reports its running total when collected.
                totals[key] = instrument is ObservableCounter<long> ? value : totals.GetValueOrDefault(key) + value;
            }
        });
        listener.Start();
        var layer = CreateInMemoryLayer(new ChannelLayerTestOptions { Capacity = 1 }, meterFactory);
        try
        {
            await layer.GroupAddAsync("room", "member.full");
            await layer.GroupAddAsync("room", "member.free");
            await layer.SendAsync("member.full", Numbered("test.direct", 1));      // sent 1
            await layer.GroupSendAsync("room", Numbered("test.group", 2));          // sent 1, dropped 1
            await ReceiveAsync(layer, "member.free");                               // received 1
            _time.Advance(s_expiry);                                                // "member.full" expires: expired 1

            using var timeout = new CancellationTokenSource(DefaultTimeout);
            var waiting = layer.ReceiveAsync("member.free", timeout.Token).AsTask();
            await layer.SendAsync("member.free", Numbered("test.direct", 3));       // sent 1, received 1 (handed over)
            await waiting.WaitAsync(DefaultTimeout);
            listener.RecordObservableInstruments();
        }
        finally
        {
            layer.Dispose();
        }

        lock (totals)
        {
            Assert.Equal(3, totals.GetValueOrDefault("switchboard.layer.sent.messages"));
            Assert.Equal(2, totals.GetValueOrDefault("switchboard.layer.received.messages"));
            Assert.Equal(1, totals.GetValueOrDefault("switchboard.layer.dropped.messages/expired"));
            Assert.Equal(1, totals.GetValueOrDefault("switchboard.layer.dropped.messages/capacity"));
        }
    }

    [Theory]
    [InlineData("Expiry")]
    [InlineData("GroupExpiry")]
    [InlineData("Capacity")]
    [InlineData("ChannelCapacities")]
    public void Constructor_InvalidOptions_ThrowsNamingTheSetting(string setting)
    {
        var options = new InMemoryChannelLayerOptions();
        switch (setting)
        {
            case "Expiry": options.Expiry = TimeSpan.Zero; break;
            case "GroupExpiry": options.GroupExpiry = TimeSpan.FromSeconds(-1); break;
            case "Capacity": options.Capacity = 0; break;
            default: options.ChannelCapacities.Add(new ChannelCapacityRule("http.*", 0)); break;
        }

        var error = Assert.Throws<OptionsValidationException>(() => new InMemoryChannelLayer(options, _time));

        Assert.Contains($"InMemoryChannelLayerOptions.{setting}", error.Message, StringComparison.Ordinal);
        Assert.Contains("positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_CapacityRuleWithoutPatternOrWithBoth_Throws()
    {
        var neither = new InMemoryChannelLayerOptions { ChannelCapacities = { new ChannelCapacityRule { Capacity = 5 } } };
        var both = new InMemoryChannelLayerOptions
        {
            ChannelCapacities = { new ChannelCapacityRule("a.*", 5) { Regex = new System.Text.RegularExpressions.Regex("^a") } },
        };

        Assert.Contains("exactly one of Pattern", Assert.Throws<OptionsValidationException>(() => new InMemoryChannelLayer(neither, _time)).Message, StringComparison.Ordinal);
        Assert.Contains("exactly one of Pattern", Assert.Throws<OptionsValidationException>(() => new InMemoryChannelLayer(both, _time)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_ExpiryBeyondTimerLimits_SweepsHourly()
    {
        using (new InMemoryChannelLayer(new InMemoryChannelLayerOptions { Expiry = TimeSpan.FromDays(365) }, TimeProvider.System))
        {
            // the system timer accepts the interval
        }

        var layer = InMemoryLayer(new ChannelLayerTestOptions { Expiry = TimeSpan.FromDays(365) });
        await layer.SendAsync("idle", Numbered("test.read", 1));
        await layer.ReceiveAsync("idle");
        Assert.Equal(1, layer.ChannelCount);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, layer.ChannelCount);
    }

    [Fact]
    public void Options_Defaults_AreChannels()
    {
        var options = new InMemoryChannelLayerOptions();

        Assert.Equal(TimeSpan.FromSeconds(60), options.Expiry);
        Assert.Equal(TimeSpan.FromSeconds(86400), options.GroupExpiry);
        Assert.Equal(100, options.Capacity);
        Assert.Empty(options.ChannelCapacities);
    }

    /// <summary>An <see cref="IMeterFactory"/> whose meters carry it as their scope, so a listener sees only this test's layer.</summary>
    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
            lock (_meters)
            {
                _meters.Add(meter);
            }

            return meter;
        }

        public void Dispose()
        {
            lock (_meters)
            {
                _meters.ForEach(meter => meter.Dispose());
                _meters.Clear();
            }
        }
    }
}
