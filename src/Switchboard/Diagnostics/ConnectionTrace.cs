using System.Diagnostics;

namespace Switchboard;

/// <summary>
/// The spans of one connection that its consumer's handle spans hang from, shared by every copy of its
/// <see cref="ConnectionScope"/> (a <see langword="with"/> copy keeps the reference). The interface server creates one
/// only while a listener subscribes to the <c>Switchboard</c> source, so an untraced connection carries none.
/// </summary>
internal sealed class ConnectionTrace(bool detachAfterHandshake)
{
    private Activity? _handshake;

    /// <summary>Gets the context of the request the connection arrived on (ASP.NET Core's request activity), which
    /// handle spans that are not its children link to; <see langword="default"/> when there was none.</summary>
    public ActivityContext Connection { get; set; }

    /// <summary>Gets the handshake span while the handshake is open (the parent of the events handled meanwhile), then
    /// <see langword="null"/>.</summary>
    public Activity? Handshake => Volatile.Read(ref _handshake);

    /// <summary>Gets a value indicating whether the events handled after the handshake start traces of their own (a
    /// WebSocket, which may stay open for hours: its messages are not bundled under one request span) rather than
    /// continuing the request's (an HTTP exchange).</summary>
    public bool DetachAfterHandshake { get; } = detachAfterHandshake;

    /// <summary>Records the open handshake span.</summary>
    public void SetHandshake(Activity handshake) => Volatile.Write(ref _handshake, handshake);

    /// <summary>Takes the handshake span once, when the handshake ends; <see langword="null"/> when it ended already.</summary>
    public Activity? TakeHandshake() => Interlocked.Exchange(ref _handshake, null);
}
