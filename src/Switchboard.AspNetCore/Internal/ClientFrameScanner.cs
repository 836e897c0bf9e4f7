namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// Follows the frame boundaries of what a client sends, header by header, to find a frame without a mask (RFC 6455
/// §5.1: the server must close the connection on one), whatever the reads split.
/// </summary>
/// <remarks>
/// .NET's <see cref="System.Net.WebSockets.WebSocket"/> refuses an unmasked client frame with 1002, but only once it has
/// read the four mask bytes it expects in every client header: an unmasked frame with fewer than four payload bytes
/// and nothing after it was never refused, the connection waited (found by fuzzing). The scanner reads headers only
/// and skips payloads arithmetically: a few fields per connection and a few instructions per read.
/// </remarks>
internal sealed class ClientFrameScanner
{
    private long _payloadLeft;
    private int _headerAt;
    private int _lengthBytes;
    private int _maskBytesLeft;
    private long _length;

    /// <summary>Gets a value indicating whether an unmasked frame was seen; scanning stops there.</summary>
    public bool FoundUnmaskedFrame { get; private set; }

    /// <summary>Scans bytes just read from the client.</summary>
    /// <returns><see langword="true"/> when these bytes hold the header of an unmasked frame.</returns>
    public bool Scan(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length && !FoundUnmaskedFrame)
        {
            if (_payloadLeft > 0)
            {
                var skip = (int)Math.Min(_payloadLeft, bytes.Length - at);
                _payloadLeft -= skip;
                at += skip;
                continue;
            }

            var b = bytes[at++];
            switch (_headerAt)
            {
                case 0:
                    // The first byte (FIN, RSV, opcode) is the WebSocket's to judge.
                    _headerAt = 1;
                    break;
                case 1:
                    if ((b & 0x80) == 0)
                    {
                        FoundUnmaskedFrame = true;
                        return true;
                    }

                    _length = b & 0x7F;
                    _lengthBytes = _length switch { 126 => 2, 127 => 8, _ => 0 };
                    _length = _lengthBytes > 0 ? 0 : _length;
                    _maskBytesLeft = 4;
                    _headerAt = 2;
                    break;
                default:
                    if (_lengthBytes > 0)
                    {
                        _length = (_length << 8) | b;
                        _lengthBytes--;
                    }
                    else if (--_maskBytesLeft == 0)
                    {
                        // A negative 64-bit length is the WebSocket's to refuse; skipping "forever" is then harmless.
                        _payloadLeft = _length < 0 ? long.MaxValue : _length;
                        _headerAt = 0;
                    }

                    break;
            }
        }

        return false;
    }
}
