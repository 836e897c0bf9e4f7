using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Server;

public class ServerMetricsTests
{
    [Fact]
    public async Task Metrics_EchoConnection_CountsConnectionAndMessagesOnTheSwitchboardMeter()
    {
        var disconnected = new TaskCompletionSource<WebSocketDisconnectEvent>();
        await using var server = await KestrelTestServer.StartAsync(TestApplications.Echo(disconnected));
        var totals = new Dictionary<string, long>();
        using var listener = new MeterListener();

        // Only this host's meter: other tests run their own hosts in parallel.
        var meterFactory = server.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Switchboard" && instrument.Meter.Scope == meterFactory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
        {
            lock (totals)
            {
                // An observable counter reports its running total when collected.
                totals[instrument.Name] = instrument is ObservableCounter<long> ? value : totals.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();

        using (var client = await server.ConnectAsync("/ws/"))
        {
            await client.SendTextAsync("one");
            await client.ReceiveMessageAsync();
            await client.SendTextAsync("two");
            await client.ReceiveMessageAsync();
            lock (totals)
            {
                Assert.Equal(1, totals["switchboard.server.active_connections"]);
            }

            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, default).DefaultTimeout();
        }

        await disconnected.Task.DefaultTimeout();
        await server.Logs.WaitForEventAsync("WebSocketDisconnected").DefaultTimeout();
        listener.RecordObservableInstruments();
        lock (totals)
        {
            Assert.Equal(2, totals["switchboard.websocket.received.messages"]);
            Assert.Equal(2, totals["switchboard.websocket.sent.messages"]);
            Assert.Equal(0, totals["switchboard.server.active_connections"]);
        }
    }
}
