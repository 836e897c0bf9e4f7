using System.Diagnostics;
using Switchboard.Tracing.Tests;

namespace Switchboard.Tests.Tracing;

/// <summary>The in-memory layer's spans, and the trace context it hands from a send to the receiver.</summary>
[Collection(TracingCollection.Name)]
public sealed class InMemoryLayerTracingTests
{
    [Fact]
    public async Task SendAsync_Listened_ReceivedMessageCarriesTheSendSpansContext()
    {
        using var capture = new TraceCapture();
        using var layer = new InMemoryChannelLayer();

        await layer.SendAsync("jobs", new LayerMessage("job.run") { ["n"] = 1 });
        var received = await layer.ReceiveAsync("jobs");

        var send = Assert.Single(capture.Spans);
        Assert.Equal(SwitchboardActivities.LayerSend, send.OperationName);
        Assert.Equal(ActivityKind.Producer, send.Kind);
        Assert.Equal("jobs", send.GetTagItem("messaging.destination.name"));
        Assert.Equal("job.run", send.GetTagItem("switchboard.message.type"));
        Assert.Equal("in_memory", send.GetTagItem("switchboard.layer.type"));
        Assert.Equal(send.Id, received.TraceContext?.TraceParent);
        Assert.DoesNotContain(LayerMessage.TraceContextKey, received.Keys);
    }

    [Fact]
    public async Task SendAsync_NoListener_MessageCarriesNoContext()
    {
        using var layer = new InMemoryChannelLayer();
        Assert.False(SwitchboardActivities.Source.HasListeners());

        await layer.SendAsync("jobs", new LayerMessage("job.run"));

        Assert.Null((await layer.ReceiveAsync("jobs")).TraceContext);
    }

    [Fact]
    public async Task SendAsync_PropagationOff_SpanButNoContext()
    {
        using var capture = new TraceCapture();
        using var layer = new InMemoryChannelLayer(new InMemoryChannelLayerOptions { PropagateTraceContext = false }, TimeProvider.System);

        await layer.SendAsync("jobs", new LayerMessage("job.run"));

        Assert.Null((await layer.ReceiveAsync("jobs")).TraceContext);
        Assert.Equal(SwitchboardActivities.LayerSend, Assert.Single(capture.Spans).OperationName);
    }

    [Fact]
    public async Task GroupSendAsync_TwoMembers_BothContinueTheGroupSendSpan()
    {
        using var capture = new TraceCapture();
        using var layer = new InMemoryChannelLayer();
        await layer.GroupAddAsync("room", "a");
        await layer.GroupAddAsync("room", "b");

        await layer.GroupSendAsync("room", new LayerMessage("chat.message"));
        var first = await layer.ReceiveAsync("a");
        var second = await layer.ReceiveAsync("b");

        var groupSend = Assert.Single(capture.Spans, s => s.OperationName == SwitchboardActivities.LayerGroupSend);
        Assert.Equal(2, groupSend.GetTagItem("switchboard.group.members"));
        Assert.Equal(groupSend.Id, first.TraceContext?.TraceParent);
        Assert.Same(first, second);
        Assert.Equal(2, capture.Spans.Count(s => s.OperationName == SwitchboardActivities.LayerGroupAdd));
    }

    [Fact]
    public async Task SendAsync_ForwardedWhileQueuedForAnother_TheOtherKeepsTheFirstContext()
    {
        using var capture = new TraceCapture();
        using var layer = new InMemoryChannelLayer();
        await layer.GroupAddAsync("room", "a");
        await layer.GroupAddAsync("room", "b");
        await layer.GroupSendAsync("room", new LayerMessage("chat.message"));
        var atA = await layer.ReceiveAsync("a");

        // a forwards the very instance b has not read yet.
        await layer.SendAsync("c", atA);
        var atB = await layer.ReceiveAsync("b");
        var atC = await layer.ReceiveAsync("c");

        var groupSend = Assert.Single(capture.Spans, s => s.OperationName == SwitchboardActivities.LayerGroupSend);
        var forward = Assert.Single(capture.Spans, s => s.OperationName == SwitchboardActivities.LayerSend);
        Assert.Equal(groupSend.Id, atB.TraceContext?.TraceParent);
        Assert.Equal(forward.Id, atC.TraceContext?.TraceParent);
        Assert.NotSame(atA, atC);
    }

    [Fact]
    public async Task SendAsync_FullChannel_SpanIsAnError()
    {
        using var capture = new TraceCapture();
        using var layer = new InMemoryChannelLayer(new InMemoryChannelLayerOptions { Capacity = 1 }, TimeProvider.System);
        await layer.SendAsync("jobs", new LayerMessage("job.run"));

        await Assert.ThrowsAsync<ChannelFullException>(() => layer.SendAsync("jobs", new LayerMessage("job.run")).AsTask());

        var failed = capture.Spans[^1];
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(typeof(ChannelFullException).FullName, failed.GetTagItem("error.type"));
    }

    [Fact]
    public void LayerMessageClone_TracedMessage_LeavesTheContextOut()
    {
        var message = new LayerMessage("chat.message") { TraceContext = new LayerTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null) };

        Assert.Null(message.Clone().TraceContext);
    }
}
