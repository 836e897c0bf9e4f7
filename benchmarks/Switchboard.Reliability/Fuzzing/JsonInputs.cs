using System.Globalization;
using System.Text;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>
/// Random JSON texts, most of them valid, many of them hostile: deep nesting (past System.Text.Json's limit of 64),
/// huge and odd numbers, wrong types for <c>message</c>, duplicate keys, escapes (lone surrogates among them), and
/// texts that stop being JSON.
/// </summary>
internal static class JsonInputs
{
    public static string Text(Random random)
    {
        switch (random.Next(12))
        {
            case 0:
                return Nested(random, random.Next(1, 130));
            case 1:
                return $"{{\"message\": {Number(random)}}}";
            case 2:
                return "{\"message\": " + Value(random, 3) + "}";
            case 3:
                // Duplicate keys: the last one is the one TryGetProperty finds.
                return "{\"message\": " + Value(random, 2) + ", \"message\": " + Quote(FuzzText.String(random)) + "}";
            case 4:
                return "{\"message\": \"" + Escapes(random) + "\"}";
            case 5:
                return "{\"" + Escapes(random) + "\": \"x\", \"message\": \"y\"}";
            case 6:
                return Broken(random);
            case 7:
                return Value(random, 4);
            default:
                return "{\"message\": " + Quote(FuzzText.String(random)) + (random.Next(3) == 0 ? ", \"other\": " + Value(random, 2) : "") + "}";
        }
    }

    public static string Value(Random random, int depth)
    {
        switch (depth <= 0 ? random.Next(5) : random.Next(8))
        {
            case 0:
                return "null";
            case 1:
                return random.Next(2) == 0 ? "true" : "false";
            case 2:
                return Number(random);
            case 3:
            case 4:
                return Quote(FuzzText.String(random));
            case 5:
                return "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, depth - 1))) + "]";
            default:
                return "{" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Quote(FuzzText.String(random, 8)) + ":" + Value(random, depth - 1))) + "}";
        }
    }

    private static string Nested(Random random, int depth)
    {
        var open = new StringBuilder();
        var close = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            if (random.Next(2) == 0)
            {
                open.Append('[');
                close.Insert(0, ']');
            }
            else
            {
                open.Append("{\"message\":");
                close.Insert(0, '}');
            }
        }

        return open + Quote("deep") + close;
    }

    private static string Number(Random random) => random.Next(8) switch
    {
        0 => "1" + new string('0', random.Next(300, 2000)),
        1 => "-" + new string('9', random.Next(20, 400)) + ".5e" + random.Next(-400, 400).ToString(CultureInfo.InvariantCulture),
        2 => "1e999",
        3 => "-0",
        4 => "0." + new string('0', random.Next(400)) + "1",
        5 => long.MinValue.ToString(CultureInfo.InvariantCulture),
        6 => ulong.MaxValue.ToString(CultureInfo.InvariantCulture) + "1",
        _ => random.NextDouble().ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Escapes in a JSON string body: valid ones, surrogate pairs, and lone halves (\ud800, \udfff).</summary>
    private static string Escapes(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(1, 6); i > 0; i--)
        {
            text.Append(random.Next(7) switch
            {
                0 => "\\ud800",
                1 => "\\udfff",
                2 => "\\ud83d\\ude00",
                3 => "\\u0000",
                4 => "\\n\\t\\\"\\\\\\/",
                5 => "\\u" + random.Next(0x10000).ToString("x4", CultureInfo.InvariantCulture),
                _ => "plain",
            });
        }

        return text.ToString();
    }

    private static string Broken(Random random)
    {
        var valid = "{\"message\": " + Quote(FuzzText.String(random)) + "}";
        return random.Next(7) switch
        {
            0 => valid[..random.Next(valid.Length)],
            1 => valid + "}",
            2 => "{'message': 'single quotes'}",
            3 => "{\"message\": \"x\",}",
            4 => "{\"message\": \"\\x41\"}",
            5 => "{\"message\": \"" + (char)random.Next(0, 0x20) + "\"}",
            _ => "// comment\n" + valid,
        };
    }

    public static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                < ' ' => text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }
}
