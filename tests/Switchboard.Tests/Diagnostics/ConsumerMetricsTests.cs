using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Testing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Diagnostics;

/// <summary><c>switchboard.consumer.handler.duration</c>: which events it times, by default and on request.</summary>
public sealed class ConsumerMetricsTests
{
    [Fact]
    public async Task HandlerDuration_Default_TimesClientEventsButNotLayerMessages()
    {
        var types = await RecordHandledTypesAsync(configure: null);

        Assert.Contains("websocket.receive", types);
        Assert.DoesNotContain(ProbeConsumer.LayerMessageType, types);
    }

    [Fact]
    public async Task HandlerDuration_RecordLayerMessageHandlerDuration_TimesLayerMessagesToo()
    {
        var types = await RecordHandledTypesAsync(o => o.RecordLayerMessageHandlerDuration = true);

        Assert.Contains("websocket.receive", types);
        Assert.Contains(ProbeConsumer.LayerMessageType, types);
    }

    [Fact]
    public void StartLayerMessage_NobodyListens_ReadsNoClock()
    {
        var metrics = new ConsumerMetrics(meterFactory: null, new SwitchboardMetricsOptions { RecordLayerMessageHandlerDuration = true });

        Assert.Equal(0, metrics.StartLayerMessage());
        Assert.Equal(0, metrics.Start());
    }

    // The message types the histogram recorded while one client sent a frame and its consumer got one group message.
    private static async Task<List<string>> RecordHandledTypesAsync(Action<SwitchboardMetricsOptions>? configure)
    {
        var types = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SwitchboardDiagnostics.MeterName && instrument.Name == "switchboard.consumer.handler.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "switchboard.message.type" && tag.Value is string type)
                {
                    lock (types)
                    {
                        types.Add(type);
                    }
                }
            }
        });
        listener.Start();

        var app = Consumer.AsApplication<ProbeConsumer>();
        await using var services = TestServices.Create(app, configure: s =>
        {
            if (configure is not null)
            {
                s.Configure(configure);
            }
        });
        await using var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();
        await client.SendTextAsync("ping");
        Assert.Equal("ping", await client.ReceiveTextAsync());
        await services.GetRequiredService<IChannelLayer>().GroupSendAsync(ProbeConsumer.Group, new LayerMessage(ProbeConsumer.LayerMessageType) { ["text"] = "from the group" });
        Assert.Equal("from the group", await client.ReceiveTextAsync());
        await client.DisconnectAsync();

        lock (types)
        {
            // Only this test's own layer message type is unique to it; websocket.receive may come from other tests too.
            return [.. types];
        }
    }

    private sealed class ProbeConsumer : WebSocketConsumer
    {
        public const string Group = "consumer-metrics-probe";

        public const string LayerMessageType = "metrics.probe";

        protected override IEnumerable<string> Groups => [Group];

        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken) => SendAsync(text, cancellationToken);

        public ValueTask MetricsProbeAsync(LayerMessage message, CancellationToken cancellationToken) =>
            SendAsync(message.GetString("text"), cancellationToken);
    }
}
