using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// Stands in for the server's upgrade feature (HTTP/1.1 <c>Upgrade</c>, or HTTP/2 extended CONNECT) on a WebSocket
/// request, so that the stream the WebSocket is built on is a <see cref="WebSocketTransportStream"/> the outbox can also
/// write encoded frames to.
/// </summary>
/// <remarks>
/// ASP.NET Core's <c>WebSocketMiddleware</c> still does the handshake (headers, subprotocol, origin check, keep-alive):
/// this feature only wraps the stream the real feature returns. When the application added its own WebSocket feature
/// first (<c>UseWebSockets()</c> before the endpoint), that feature holds the real upgrade feature, this one is never
/// used, <see cref="TransportOf"/> finds no transport, and the outbox sends one message at a time through the
/// WebSocket.
/// </remarks>
internal sealed class WebSocketTransportFeature : IHttpUpgradeFeature, IHttpExtendedConnectFeature
{
    private readonly IHttpUpgradeFeature? _upgrade;
    private readonly IHttpExtendedConnectFeature? _connect;

    private WebSocketTransportFeature(IHttpUpgradeFeature? upgrade, IHttpExtendedConnectFeature? connect)
    {
        _upgrade = upgrade;
        _connect = connect;
    }

    /// <summary>Gets the wrapped stream, once the upgrade happened through this feature.</summary>
    private WebSocketTransportStream? Transport { get; set; }

    public bool IsUpgradableRequest => _upgrade?.IsUpgradableRequest ?? false;

    public bool IsExtendedConnect => _connect?.IsExtendedConnect ?? false;

    public string? Protocol => _connect?.Protocol;

    /// <summary>Installs the feature on a request that can become a WebSocket; other requests are left alone.</summary>
    public static void Install(HttpContext context)
    {
        var features = context.Features;
        if (features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            features.Set<IHttpUpgradeFeature>(new WebSocketTransportFeature(upgrade, connect: null));
        }
        else if (features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            features.Set<IHttpExtendedConnectFeature>(new WebSocketTransportFeature(upgrade: null, connect));
        }
    }

    /// <summary>The transport of a WebSocket accepted through this feature, or <see langword="null"/>.</summary>
    /// <remarks>Found through the features it replaced: a feature of its own type would cost every connection an extra
    /// entry in the server's feature collection.</remarks>
    /// <remarks>Also <see langword="null"/> when the handshake negotiated an extension (per-message deflate): its frames
    /// are the WebSocket's to encode (compressed, RSV1 set), so every message must go through it.</remarks>
    public static WebSocketTransportStream? TransportOf(HttpContext context) =>
        context.Response.Headers.SecWebSocketExtensions.Count > 0
            ? null
            : (context.Features.Get<IHttpUpgradeFeature>() as WebSocketTransportFeature)?.Transport
                ?? (context.Features.Get<IHttpExtendedConnectFeature>() as WebSocketTransportFeature)?.Transport;

    public async Task<Stream> UpgradeAsync() =>
        Transport = new WebSocketTransportStream(await _upgrade!.UpgradeAsync().ConfigureAwait(false));

    public async ValueTask<Stream> AcceptAsync() =>
        Transport = new WebSocketTransportStream(await _connect!.AcceptAsync().ConfigureAwait(false));
}
