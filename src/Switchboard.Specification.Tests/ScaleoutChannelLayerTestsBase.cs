using Xunit;

namespace Switchboard.Specification.Tests;

/// <summary>
/// The conformance suite plus the cases that need two layer instances on one backend, as two processes would have them
/// (ASP.NET Core's <c>ScaleoutHubLifetimeManagerTests</c> for SignalR): groups, process-specific channels and worker
/// channels work across instances. Derive it for a layer that crosses processes (Redis), and implement
/// <see cref="CreatePeerLayer"/>.
/// </summary>
public abstract class ScaleoutChannelLayerTestsBase : ChannelLayerTestsBase
{
    /// <summary>Creates a second layer instance on the same backend and namespace as <paramref name="first"/>, with its
    /// own process identity (its own process-specific channels), as another process configured alike would be.
    /// The suite disposes it after the test.</summary>
    /// <param name="first">A layer created by <see cref="ChannelLayerTestsBase.CreateLayer"/> in this test.</param>
    /// <param name="options">The settings it was created with.</param>
    /// <returns>The peer layer.</returns>
    protected abstract IChannelLayer CreatePeerLayer(IChannelLayer first, ChannelLayerTestOptions options);

    /// <summary>A group joined through one instance receives a group send made through the other.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task GroupSendAsync_FromPeer_ReachesMembersJoinedHere()
    {
        var (here, peer) = Pair();
        var channel = await here.NewChannelAsync();
        await here.GroupAddAsync("room", channel);

        await peer.GroupSendAsync("room", Numbered("test.group", 1));

        Assert.Equal(1, (await ReceiveAsync(here, channel)).GetInt64("n"));
        await AssertNothingQueuedAsync(here, channel);
    }

    /// <summary>A direct send from one instance to a process-specific channel of the other arrives there.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task SendAsync_FromPeerToSpecificChannel_Arrives()
    {
        var (here, peer) = Pair();
        var channel = await here.NewChannelAsync();

        await peer.SendAsync(channel, Numbered("test.direct", 7));

        Assert.Equal(7, (await ReceiveAsync(here, channel)).GetInt64("n"));
    }

    /// <summary>A worker channel read through both instances gives each message to exactly one of them.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReceiveAsync_WorkerChannelReadByBoth_EachMessageOnce()
    {
        var (here, peer) = Pair();
        const int Count = 50;
        var received = new List<long>();
        using var done = new CancellationTokenSource(DefaultTimeout);

        async Task ReadAsync(IChannelLayer layer)
        {
            try
            {
                while (true)
                {
                    var message = await layer.ReceiveAsync("work", done.Token);
                    lock (received)
                    {
                        received.Add(message.GetInt64("n"));
                        if (received.Count == Count)
                        {
                            done.Cancel();
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
            }
        }

        var readers = Task.WhenAll(ReadAsync(here), ReadAsync(peer));
        for (var i = 0; i < Count; i++)
        {
            await (i % 2 == 0 ? here : peer).SendAsync("work", Numbered("test.work", i));
        }

        await readers;
        lock (received)
        {
            Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), received.Order());
        }
    }

    private (IChannelLayer Here, IChannelLayer Peer) Pair()
    {
        var options = new ChannelLayerTestOptions();
        var here = Layer(options);
        var peer = CreatePeerLayer(here, options);
        Assert.NotNull(peer);
        TrackForDisposal(peer);
        return (here, peer);
    }
}
