using System.Text;

namespace Switchboard;

/// <summary>A WebSocket message in either direction: text (UTF-8) or binary, possibly empty.</summary>
/// <remarks>
/// The payload is kept as bytes so that a server can move it without decoding; <see cref="Text"/> decodes a text
/// message once, on first use. A text message built from a string encodes it once.
/// </remarks>
public abstract class WebSocketFrameEvent : ApplicationEvent
{
    private string? _text;

    private protected WebSocketFrameEvent(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text = text;
        Data = Encoding.UTF8.GetBytes(text);
        IsText = true;
    }

    private protected WebSocketFrameEvent(ReadOnlyMemory<byte> data, bool isText)
    {
        Data = data;
        IsText = isText;
    }

    /// <summary>Gets a value indicating whether this is a text message (otherwise binary).</summary>
    public bool IsText { get; }

    /// <summary>Gets the payload: UTF-8 for a text message, the raw bytes for a binary one.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Gets the text of a text message, or <see langword="null"/> for a binary message (ASGI's <c>text</c>).</summary>
    public string? Text => IsText ? _text ??= Encoding.UTF8.GetString(Data.Span) : null;

    /// <summary>Gets the bytes of a binary message, or <see langword="null"/> for a text message (ASGI's <c>bytes</c>).</summary>
    public ReadOnlyMemory<byte>? Bytes => IsText ? null : Data;
}
