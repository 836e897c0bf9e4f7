using System.Buffers;
using System.Text;

namespace Chat;

/// <summary>
/// Reads the body of <c>POST /notify</c> within its limits: at most <see cref="MaxBytes"/> (a larger body would go to
/// every listener as one frame), and strict UTF-8 (a lenient decoder would replace bad bytes and pass them on).
/// </summary>
public static class NotifyBody
{
    /// <summary>The largest body accepted: 64 KiB. Beyond it the answer is 413.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads the whole body as text, or says why not.</summary>
    /// <returns>The text, or an empty text and the result to answer with (413 too large, 400 not UTF-8 or not readable).</returns>
    public static async Task<(string Text, IResult? Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return ("", TooLarge());
        }

        // Read at most one byte past the limit: enough to know a body without Content-Length is too large.
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            var count = 0;
            try
            {
                int read;
                while (count <= MaxBytes && (read = await request.Body.ReadAsync(buffer.AsMemory(count, MaxBytes + 1 - count), cancellationToken)) > 0)
                {
                    count += read;
                }
            }
            catch (BadHttpRequestException ex)
            {
                // A body Kestrel cannot read (broken chunked coding, cut short): the client's fault, so its status
                // (400), not an unhandled exception logged as an error (found by fuzzing).
                return ("", Results.Problem(statusCode: ex.StatusCode, title: "The request body could not be read.", detail: ex.Message));
            }

            if (count > MaxBytes)
            {
                return ("", TooLarge());
            }

            try
            {
                return (s_strictUtf8.GetString(buffer, 0, count), null);
            }
            catch (DecoderFallbackException ex)
            {
                return ("", Results.Problem(statusCode: 400, title: "The body is not valid UTF-8.", detail: ex.Message));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult TooLarge() =>
        Results.Problem(statusCode: 413, title: $"The body is larger than {MaxBytes / 1024} KiB; send smaller notifications.");
}
