namespace Switchboard.Testing;

/// <summary>The outcome of <see cref="WebSocketCommunicator.ConnectAsync"/> (Channels' <c>(connected, subprotocol_or_code)</c>).</summary>
/// <param name="Accepted">Whether the application accepted the handshake.</param>
/// <param name="Subprotocol">The subprotocol it accepted with, if any.</param>
/// <param name="CloseCode">The close code it refused with, when not accepted.</param>
public readonly record struct WebSocketConnectResult(bool Accepted, string? Subprotocol, int? CloseCode);
