namespace Switchboard;

/// <summary>What the <c>Switchboard</c> meter records beyond its defaults; read once, when the container builds the
/// consumers' instruments (<c>services.Configure&lt;SwitchboardMetricsOptions&gt;(o =&gt; ...)</c>).</summary>
public sealed class SwitchboardMetricsOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether <c>switchboard.consumer.handler.duration</c> also times the layer messages
    /// a connection's consumer handles (a group's <c>chat.message</c> at every member). Default <see langword="false"/>:
    /// every other event is timed (the client's events, HTTP requests, a worker's channel messages), but a group send
    /// is one handled message per member, and recording each one in the OpenTelemetry SDK's histogram was the largest
    /// single cost of a broadcast: in the flatout benchmark (10,000 messages to a room of 100) it took the reference app
    /// from about 0.55 to 0.88 µs of server CPU per delivery. Counting them costs almost nothing and stays on
    /// (<c>switchboard.layer.received.messages</c>).
    /// </summary>
    public bool RecordLayerMessageHandlerDuration { get; set; }
}
