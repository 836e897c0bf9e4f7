using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Functions;
using Switchboard.Routing;
using Switchboard.Testing;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tracing.Tests;

namespace Switchboard.Tests.Tracing;

/// <summary>The handle spans of consumers, function consumers and workers, and how they continue a sender's trace.</summary>
[Collection(TracingCollection.Name)]
public sealed class ConsumerTracingTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task LayerMessage_TracedSend_HandleSpanContinuesTheSendSpan()
    {
        using var capture = new TraceCapture();
        var (services, client, channel) = await ConnectAsync();
        await using var _ = services;
        await using var __ = client;

        await services.GetRequiredService<IChannelLayer>().SendAsync(channel, new LayerMessage("ping"));
        Assert.Equal("pong", await client.ReceiveTextAsync());

        var handle = await capture.WaitForSpanAsync(s => s.DisplayName == "ping");
        var send = Assert.Single(capture.Spans, s => s.OperationName == SwitchboardActivities.LayerSend);
        Assert.Equal(SwitchboardActivities.Handle, handle.OperationName);
        Assert.Equal(ActivityKind.Consumer, handle.Kind);
        Assert.Equal(send.TraceId, handle.TraceId);
        Assert.Equal(send.SpanId, handle.ParentSpanId);
        Assert.Equal(nameof(PingConsumer), handle.GetTagItem("switchboard.consumer"));
        Assert.Equal("ping", handle.GetTagItem("switchboard.message.type"));
    }

    [Fact]
    public async Task LayerMessage_PropagationOff_HandleSpanStartsATraceOfItsOwn()
    {
        using var capture = new TraceCapture();
        using var ambient = SwitchboardActivities.Source.StartActivity("test.ambient");
        var (services, client, channel) = await ConnectAsync(s => s.Configure<InMemoryChannelLayerOptions>(o => o.PropagateTraceContext = false));
        await using var _ = services;
        await using var __ = client;

        await services.GetRequiredService<IChannelLayer>().SendAsync(channel, new LayerMessage("ping"));
        Assert.Equal("pong", await client.ReceiveTextAsync());

        var handle = await capture.WaitForSpanAsync(s => s.DisplayName == "ping");
        Assert.Equal(default, handle.ParentSpanId);
        Assert.NotEqual(ambient!.TraceId, handle.TraceId);
    }

    [Fact]
    public async Task ClientEvent_Handled_InternalSpanNamedAfterTheEvent()
    {
        using var capture = new TraceCapture();
        var (services, client, _) = await ConnectAsync();
        await using var __ = services;
        await using var ___ = client;

        await client.SendTextAsync("hello");
        Assert.Equal("hello", await client.ReceiveTextAsync());

        var handle = await capture.WaitForSpanAsync(s => s.DisplayName == EventTypes.WebSocketReceive);
        Assert.Equal(ActivityKind.Internal, handle.Kind);
        Assert.Equal(ScopeTypes.WebSocket, handle.GetTagItem("switchboard.scope.type"));
    }

    [Fact]
    public async Task Handler_Throws_HandleSpanIsAnErrorWithTheExceptionType()
    {
        using var capture = new TraceCapture();
        var (services, client, channel) = await ConnectAsync();
        await using var _ = services;
        await using var __ = client;

        await services.GetRequiredService<IChannelLayer>().SendAsync(channel, new LayerMessage("boom"));
        Assert.Equal(WebSocketCloseCode.InternalServerError, (await client.ReceiveCloseAsync()).Code);

        var handle = await capture.WaitForSpanAsync(s => s.DisplayName == "boom");
        Assert.Equal(ActivityStatusCode.Error, handle.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, handle.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Disconnect_EndSequence_OneSpanAroundTheGroupDiscards()
    {
        using var capture = new TraceCapture();
        var (services, client, _) = await ConnectAsync();
        await using var __ = services;
        await using var ___ = client;

        await client.DisconnectAsync();

        var end = await capture.WaitForSpanAsync(s => s.OperationName == SwitchboardActivities.End);
        var discard = Assert.Single(capture.Spans, s => s.OperationName == SwitchboardActivities.LayerGroupDiscard);
        Assert.Equal(end.SpanId, discard.ParentSpanId);
    }

    [Fact]
    public async Task Worker_TracedSend_HandleSpanContinuesTheSendSpan()
    {
        using var capture = new TraceCapture();
        var app = new ProtocolTypeRouter { ["channel"] = new ChannelNameRouter().Map<JobConsumer>("jobs") };
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var services = TestServices.Create(app, configure: s =>
        {
            s.AddSingleton(done);
            new Builder(s).AddWorker("jobs");
        });

        await RunWorkerAsync(services, done);

        await AssertWorkerContinuedTheSendAsync(capture, nameof(JobConsumer));
    }

    [Fact]
    public async Task FunctionWorker_TracedSend_HandleSpanContinuesTheSendSpan()
    {
        using var capture = new TraceCapture();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var router = new FunctionRouter().Route("jobs", (m, ct) =>
        {
            done.TrySetResult();
            return default;
        });
        var app = new ProtocolTypeRouter { ["channel"] = new ChannelNameRouter { ["jobs"] = router } };
        await using var services = TestServices.Create(app, configure: s => new Builder(s).AddWorker("jobs"));

        await RunWorkerAsync(services, done);

        await AssertWorkerContinuedTheSendAsync(capture, nameof(FunctionRouter));
    }

    private static async Task RunWorkerAsync(ServiceProvider services, TaskCompletionSource done)
    {
        var worker = Assert.Single(services.GetServices<IHostedService>());
        await worker.StartAsync(CancellationToken.None);
        await services.GetRequiredService<IChannelLayer>().SendAsync("jobs", new LayerMessage("job.run"));
        await done.Task.WaitAsync(s_timeout);
        await worker.StopAsync(CancellationToken.None).WaitAsync(s_timeout);
    }

    private static async Task AssertWorkerContinuedTheSendAsync(TraceCapture capture, string consumer)
    {
        var handle = await capture.WaitForSpanAsync(s => s.DisplayName == "job.run");
        var send = Assert.Single(capture.Spans, s => s.OperationName == SwitchboardActivities.LayerSend);
        Assert.Equal(send.TraceId, handle.TraceId);
        Assert.Equal(send.SpanId, handle.ParentSpanId);
        Assert.Equal("jobs", handle.GetTagItem("messaging.destination.name"));
        Assert.Equal(consumer, handle.GetTagItem("switchboard.consumer"));
    }

    private static async Task<(ServiceProvider Services, WebSocketCommunicator Client, string Channel)> ConnectAsync(
        Action<IServiceCollection>? configure = null)
    {
        var app = Consumer.AsApplication<PingConsumer>();
        var services = TestServices.Create(app, configure: configure);
        var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();
        return (services, client, await client.ReceiveTextAsync());
    }

    private sealed class Builder(IServiceCollection services) : ISwitchboardBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class PingConsumer : WebSocketConsumer
    {
        protected override async ValueTask OnConnectAsync(CancellationToken cancellationToken)
        {
            await AcceptAsync(cancellationToken: cancellationToken);
            await GroupAddAsync("pingers", cancellationToken);
            await SendAsync(ChannelName!, cancellationToken);
        }

        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken) => SendAsync(text, cancellationToken);

        public Task PingAsync(LayerMessage message, CancellationToken cancellationToken) => SendAsync("pong", cancellationToken).AsTask();

        public Task BoomAsync(LayerMessage message, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
    }

    private sealed class JobConsumer(TaskCompletionSource done) : Consumer
    {
        public Task JobRunAsync(LayerMessage message, CancellationToken cancellationToken)
        {
            done.TrySetResult();
            return Task.CompletedTask;
        }
    }
}
