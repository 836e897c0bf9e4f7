namespace Switchboard.Security;

/// <summary>
/// Decides, before a consumer is built for a connection, whether the connection may reach it. Consumers built by
/// <see cref="Consumer.AsApplication{TConsumer}"/> (and so every <c>Map&lt;TConsumer&gt;</c> route) ask the one registered
/// in the connection's services. Switchboard.AspNetCore's <c>AddAuthorization()</c> registers one that enforces ASP.NET
/// Core's <c>[Authorize]</c> and <c>[AllowAnonymous]</c> on the consumer class.
/// </summary>
public interface IConsumerAuthorizer
{
    /// <summary>Called once per connection, before the consumer is constructed. When it refuses, it has already answered
    /// the client (a WebSocket handshake with HTTP 403) and the consumer is never built.</summary>
    /// <param name="scope">The connection's scope, with its user.</param>
    /// <param name="consumerType">The consumer the route leads to.</param>
    /// <param name="receive">The connection's receive, to take <c>websocket.connect</c> before refusing.</param>
    /// <param name="send">The connection's send, to refuse.</param>
    /// <returns><see langword="true"/> to build and run the consumer; <see langword="false"/> when the connection was refused.</returns>
    ValueTask<bool> AuthorizeAsync(ConnectionScope scope, Type consumerType, ReceiveDelegate receive, SendDelegate send);
}
