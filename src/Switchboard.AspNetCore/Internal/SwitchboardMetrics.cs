using System.Diagnostics.Metrics;

namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// The interface server's instruments on the <c>Switchboard</c> meter. Instrument names are public contract:
/// dashboards and alerts refer to them, and docs/diagnostics.md lists them (a test keeps the two in step).
/// </summary>
/// <remarks>The counters of every frame in and out are observable: adds go to a <see cref="StripedCounter"/> and a
/// listener reads the totals when it collects, so a message costs no listener call. The others pass tags as single
/// <see cref="KeyValuePair{TKey,TValue}"/> arguments or none, which allocate nothing. With no listener an add returns
/// after one field check.</remarks>
internal sealed class SwitchboardMetrics
{
    // One meter for the whole of Switchboard: the name is the core's, so the layer and the server can never drift apart.
    public const string MeterName = SwitchboardDiagnostics.MeterName;

    /// <summary>The reason of a message dropped because its socket's outbound queue was over its byte budget.</summary>
    public const string OutboundOverflowReason = "outbound_overflow";

    private static readonly KeyValuePair<string, object?> s_webSocketScope = new(SwitchboardTags.ScopeType, ScopeTypes.WebSocket);
    private static readonly KeyValuePair<string, object?> s_httpScope = new(SwitchboardTags.ScopeType, ScopeTypes.Http);

    private readonly UpDownCounter<long> _activeConnections;
    private readonly Counter<long> _openedConnections;
    private readonly Counter<long> _refusedHandshakes;
    private readonly ObservableCounter<long> _messagesReceived;
    private readonly ObservableCounter<long> _bytesReceived;
    private readonly ObservableCounter<long> _messagesSent;
    private readonly ObservableCounter<long> _bytesSent;
    private readonly StripedCounter _messagesReceivedTotal = new();
    private readonly StripedCounter _bytesReceivedTotal = new();
    private readonly StripedCounter _messagesSentTotal = new();
    private readonly StripedCounter _bytesSentTotal = new();
    private readonly Counter<long> _messagesDropped;
    private readonly Counter<long> _overflowCloses;

    public SwitchboardMetrics(IMeterFactory? meterFactory)
    {
        // With a meter factory (the host registers one) the meter belongs to the container, so two hosts in one process
        // (tests) keep separate counts.
        var meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _activeConnections = meter.CreateUpDownCounter<long>(
            "switchboard.server.active_connections", "{connection}", "Connections the interface server is serving, by scope type.");
        _openedConnections = meter.CreateCounter<long>(
            "switchboard.server.opened.connections", "{connection}", "Connections the interface server has started serving, by scope type.");
        _refusedHandshakes = meter.CreateCounter<long>(
            "switchboard.websocket.refused.handshakes", "{handshake}", "WebSocket handshakes answered with an HTTP error instead of 101, by reason.");
        _messagesReceived = meter.CreateObservableCounter(
            "switchboard.websocket.received.messages", _messagesReceivedTotal.Sum, "{message}", "WebSocket messages received from clients.");
        _bytesReceived = meter.CreateObservableCounter(
            "switchboard.websocket.received.bytes", _bytesReceivedTotal.Sum, "By", "Payload bytes of the WebSocket messages received from clients.");
        _messagesSent = meter.CreateObservableCounter(
            "switchboard.websocket.sent.messages", _messagesSentTotal.Sum, "{message}", "WebSocket messages written to clients.");
        _bytesSent = meter.CreateObservableCounter(
            "switchboard.websocket.sent.bytes", _bytesSentTotal.Sum, "By", "Payload bytes of the WebSocket messages written to clients.");
        _messagesDropped = meter.CreateCounter<long>(
            "switchboard.websocket.dropped.messages", "{message}", "Outgoing WebSocket messages discarded by the interface server, by reason (outbound_overflow: the socket's outbound queue was over its byte budget).");
        _overflowCloses = meter.CreateCounter<long>(
            "switchboard.websocket.overflowed.connections", "{connection}", "WebSocket connections closed with 1008 because their outbound queue overflowed.");
    }

    public void ConnectionStarted(string scopeType)
    {
        var tag = TagOf(scopeType);
        _activeConnections.Add(1, tag);
        _openedConnections.Add(1, tag);
    }

    public void ConnectionEnded(string scopeType) => _activeConnections.Add(-1, TagOf(scopeType));

    public void HandshakeRefused(string reason) =>
        _refusedHandshakes.Add(1, new KeyValuePair<string, object?>(SwitchboardTags.Reason, reason));

    public void MessageReceived(int bytes)
    {
        if (_messagesReceived.Enabled || _bytesReceived.Enabled)
        {
            _messagesReceivedTotal.Add(1);
            _bytesReceivedTotal.Add(bytes);
        }
    }

    public void MessagesSent(int count, long bytes)
    {
        if (_messagesSent.Enabled || _bytesSent.Enabled)
        {
            _messagesSentTotal.Add(count);
            _bytesSentTotal.Add(bytes);
        }
    }

    public void MessagesDropped(int count, string reason) =>
        _messagesDropped.Add(count, new KeyValuePair<string, object?>(SwitchboardTags.Reason, reason));

    public void OverflowClose() => _overflowCloses.Add(1);

    private static KeyValuePair<string, object?> TagOf(string scopeType) =>
        scopeType == ScopeTypes.WebSocket ? s_webSocketScope : scopeType == ScopeTypes.Http ? s_httpScope : new(SwitchboardTags.ScopeType, scopeType);
}
