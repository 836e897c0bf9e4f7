using System.Diagnostics.Metrics;

namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// The interface server's instruments on the <c>Switchboard</c> meter. Instrument names are public contract:
/// dashboards and alerts refer to them.
/// </summary>
internal sealed class SwitchboardMetrics
{
    // One meter for the whole of Switchboard: the name is the core's, so the layer and the server can never drift apart.
    public const string MeterName = SwitchboardDiagnostics.MeterName;

    /// <summary>The <c>reason</c> of a message dropped because its socket's outbound queue was over its byte budget.</summary>
    public const string OutboundOverflowReason = "outbound_overflow";

    private readonly UpDownCounter<long> _activeConnections;
    private readonly Counter<long> _messagesReceived;
    private readonly Counter<long> _messagesSent;
    private readonly Counter<long> _messagesDropped;
    private readonly Counter<long> _overflowCloses;

    public SwitchboardMetrics(IMeterFactory? meterFactory)
    {
        // With a meter factory (the host registers one) the meter belongs to the container, so two hosts in one process
        // (tests) keep separate counts.
        var meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _activeConnections = meter.CreateUpDownCounter<long>(
            "switchboard.server.active_connections", "{connection}", "Connections the interface server is serving, by scope type.");
        _messagesReceived = meter.CreateCounter<long>(
            "switchboard.websocket.messages_received", "{message}", "WebSocket messages received from clients.");
        _messagesSent = meter.CreateCounter<long>(
            "switchboard.websocket.messages_sent", "{message}", "WebSocket messages written to clients.");
        _messagesDropped = meter.CreateCounter<long>(
            "switchboard.websocket.messages_dropped", "{message}", "Outgoing WebSocket messages discarded by the interface server, by reason (outbound_overflow: the socket's outbound queue was over its byte budget).");
        _overflowCloses = meter.CreateCounter<long>(
            "switchboard.websocket.overflow_closes", "{connection}", "WebSocket connections closed with 1008 because their outbound queue overflowed.");
    }

    public void ConnectionStarted(string scopeType) =>
        _activeConnections.Add(1, new KeyValuePair<string, object?>("switchboard.scope.type", scopeType));

    public void ConnectionEnded(string scopeType) =>
        _activeConnections.Add(-1, new KeyValuePair<string, object?>("switchboard.scope.type", scopeType));

    public void MessageReceived() => _messagesReceived.Add(1);

    public void MessagesSent(int count) => _messagesSent.Add(count);

    public void MessagesDropped(int count, string reason) =>
        _messagesDropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void OverflowClose() => _overflowCloses.Add(1);
}
