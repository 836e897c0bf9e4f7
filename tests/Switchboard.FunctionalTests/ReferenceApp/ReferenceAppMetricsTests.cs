using System.Net;
using System.Net.WebSockets;
using Switchboard.FunctionalTests.Infrastructure;
using static Switchboard.FunctionalTests.ReferenceApp.ChatAppFixture;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary><c>GET /metrics</c> of the reference app, scraped after real traffic over Kestrel: Prometheus' text format
/// with Switchboard's instruments, their <c># TYPE</c> lines and histogram buckets.</summary>
public class ReferenceAppMetricsTests(ChatAppFixture app) : IClassFixture<ChatAppFixture>
{
    [Fact]
    public async Task RefusedHandshakes_ForeignOrigin_CountedUnderOriginBesideTheOpenedConnections()
    {
        using var meter = new SwitchboardMeterCapture(app.Server.App.Services);
        using (var foreign = new ClientWebSocket())
        {
            foreign.Options.SetRequestHeader("Origin", "http://evil.example");
            await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(new Uri(app.WsBase, "/ws/echo/"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        }

        using (var accepted = await app.ConnectAsync("/ws/echo/"))
        {
            await accepted.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        Assert.Equal(1, meter.Total("switchboard.websocket.refused.handshakes", "origin"));
        Assert.Equal(1, meter.Total("switchboard.websocket.refused.handshakes"));
        Assert.Equal(2, meter.Total("switchboard.server.opened.connections"));
    }

    [Fact]
    public async Task Metrics_AfterChatEchoNotifyAndAThumbnail_ScrapedInPrometheusTextFormat()
    {
        using (var listener = await app.ConnectAsync("/ws/notify/"))
        using (var chat = await app.ConnectAsync("/ws/chat/metrics/"))
        using (var echo = await app.ConnectAsync("/ws/echo/"))
        {
            await SendTextAsync(chat, """{"message": "hello"}""");
            Assert.Contains("hello", await ReceiveTextAsync(chat), StringComparison.Ordinal);
            await SendTextAsync(echo, "ping");
            Assert.Equal("ping", await ReceiveTextAsync(echo));
            Assert.Equal(HttpStatusCode.Accepted, (await app.Http.PostAsync("/thumbnail?id=7", null)).StatusCode);
            Assert.Contains("7", await ReceiveTextAsync(listener), StringComparison.Ordinal);
        }

        // The exporter caches a scrape briefly, and the worker counts its message when it asks for the next one: poll.
        var text = "";
        for (var attempt = 0; attempt < 50 && !text.Contains("switchboard_worker_handled_messages_total", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            using var response = await app.Http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            text = await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("# TYPE switchboard_server_active_connections gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE switchboard_server_opened_connections_total counter", text, StringComparison.Ordinal);
        Assert.Matches(@"switchboard_server_opened_connections_total\{[^}]*switchboard_scope_type=""websocket""[^}]*\} [1-9]", text);
        Assert.Contains("# TYPE switchboard_websocket_received_messages_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE switchboard_websocket_sent_messages_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE switchboard_websocket_received_bytes_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE switchboard_websocket_sent_bytes_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE switchboard_layer_sent_messages_total counter", text, StringComparison.Ordinal);
        Assert.Matches(@"switchboard_worker_handled_messages_total\{[^}]*switchboard_channel=""thumbnails""[^}]*\} [1-9]", text);

        // Histograms: the declared buckets, +Inf, sum and count.
        Assert.Contains("# TYPE switchboard_consumer_handler_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Matches(@"switchboard_consumer_handler_duration_seconds_bucket\{[^}]*le=""0.005""[^}]*\} \d+", text);
        Assert.Matches(@"switchboard_consumer_handler_duration_seconds_bucket\{[^}]*le=""\+Inf""[^}]*\} [1-9]", text);
        Assert.Matches(@"switchboard_consumer_handler_duration_seconds_count\{[^}]*switchboard_message_type=""websocket.receive""[^}]*\} [1-9]", text);
        Assert.Contains("# TYPE switchboard_layer_operation_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Matches(@"switchboard_layer_operation_duration_seconds_bucket\{[^}]*le=""5E-05""[^}]*\} \d+", text);
        Assert.Contains("# TYPE switchboard_layer_group_send_fanout histogram", text, StringComparison.Ordinal);
        Assert.Matches(@"switchboard_layer_group_send_fanout_bucket\{[^}]*le=""10000""[^}]*\} [1-9]", text);
    }
}
