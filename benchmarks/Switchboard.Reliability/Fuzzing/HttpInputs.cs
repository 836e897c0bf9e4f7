using System.Text;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>Random bodies for <c>POST /notify</c> (JSON, not JSON, not UTF-8, deep, at and past 64 KiB; any content type,
/// Content-Length or chunked) and random ids for <c>POST /thumbnail</c>.</summary>
internal static class HttpInputs
{
    private static readonly string?[] s_contentTypes = [null, "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "garbage"];

    private static readonly string[] s_ids =
    [
        "42", "0", "-7", "+5", "007", "%209", "9%20", "1.5", "abc", "", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "0x1F", "1e3", "%EF%BC%91", "1%2C2", "12abc",
    ];

    public static HttpInput Next(Random random)
    {
        var input = random.Next(3) == 0 ? Thumbnail(random) : Notify(random);
        input = input with { ContentType = s_contentTypes[random.Next(s_contentTypes.Length)] };
        if (random.Next(3) == 0 && input.Body.Length > 0)
        {
            input = input with
            {
                Chunks = [.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(1, Math.Max(2, input.Body.Length)))],
                BrokenChunk = random.Next(10) == 0,
            };
        }

        return input;
    }

    private static HttpInput Notify(Random random)
    {
        switch (random.Next(10))
        {
            case 0:
                return new("/notify", FuzzText.InvalidUtf8(random), "notify-invalid-utf8");
            case 1:
            {
                // At the limit, or one byte past it.
                var size = 64 * 1024 + (random.Next(2) == 0 ? 0 : 1 + random.Next(4096));
                var body = Encoding.UTF8.GetBytes("[\"" + new string('x', size - 4) + "\"]");
                return new("/notify", body, "notify-size");
            }

            case 2:
                return new("/notify", [], "notify-empty");
            case 3:
                return new("/notify", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(JsonInputs.Value(random, 2))], "notify-bom");
            case 4:
            case 5:
                return new("/notify", Encoding.UTF8.GetBytes(JsonInputs.Text(random)), "notify-json-text");
            default:
                return new("/notify", Encoding.UTF8.GetBytes(JsonInputs.Value(random, 4)), "notify-json");
        }
    }

    private static HttpInput Thumbnail(Random random)
    {
        var id = s_ids[random.Next(s_ids.Length)];
        var query = random.Next(8) switch
        {
            0 => "",
            1 => $"?id={id}&id=1",
            2 => $"?ID={id}",
            3 => $"?other=1&id={id}",
            4 => $"?id",
            _ => $"?id={id}",
        };
        return new("/thumbnail" + query, FuzzText.Bytes(random, 40), "thumbnail");
    }
}
