using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>
/// The oracle for <c>POST /notify</c> and <c>POST /thumbnail</c> (ARCHITECTURE.md's table and docs/tutorial.md): the
/// status, and the text frame a <c>/ws/notify/</c> listener then receives (the body unchanged, or <c>{"thumbnail": N}</c>).
/// </summary>
internal static class HttpModel
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static (int Status, string? Notification, string Rule) Evaluate(HttpInput input)
    {
        if (input.Target.StartsWith("/thumbnail", StringComparison.Ordinal))
        {
            // The body is never read, so not even broken chunked coding matters.
            return Id(input.Target) is { } id
                ? (202, $"{{\"thumbnail\": {id.ToString(CultureInfo.InvariantCulture)}}}", "an integer id")
                : (400, null, "no single integer id");
        }

        if (input.BrokenChunk)
        {
            return (400, null, "chunked coding with a size that is not hex");
        }

        if (input.Body.Length > 64 * 1024)
        {
            return (413, null, "a body over 64 KiB");
        }

        string text;
        try
        {
            text = s_strictUtf8.GetString(input.Body);
        }
        catch (DecoderFallbackException)
        {
            return (400, null, "a body that is not UTF-8");
        }

        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return (400, null, "a body that is not JSON");
        }

        return (202, text, "JSON: sent unchanged to every listener");
    }

    /// <summary>The id query parameter (names are case-insensitive, empty values left out) when there is exactly one and it is a 64-bit integer:
    /// optional white space around an optional sign and ASCII digits.</summary>
    private static long? Id(string target)
    {
        var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
        var values = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => Uri.UnescapeDataString(pair[0]).Equals("id", StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair.Length == 2 ? Uri.UnescapeDataString(pair[1].Replace('+', ' ')) : "")
            .Where(value => value.Length > 0) // ASP.NET Core's query parser leaves empty values out
            .ToList();
        if (values.Count != 1)
        {
            return null;
        }

        var value = values[0].Trim(' ', '\t', '\n', '\v', '\f', '\r');
        var digits = value.StartsWith('-') || value.StartsWith('+') ? value[1..] : value;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
