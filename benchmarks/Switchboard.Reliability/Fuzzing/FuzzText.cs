using System.Text;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>Random strings and byte sequences the generators share: valid text of every plane, and the ways UTF-8 goes wrong.</summary>
internal static class FuzzText
{
    // Each is invalid UTF-8 on its own: a lone continuation byte, bytes that never occur, an overlong '/', an encoded
    // surrogate (U+D800), a code point above U+10FFFF, a lead byte cut short by ASCII.
    private static readonly byte[][] s_invalidUtf8 =
    [
        [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xF5, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xE0, 0x80, 0xAF],
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xC3, 0x28], [0xE2, 0x82, 0x28], [0xF0, 0x28, 0x8C, 0xBC],
    ];

    private static readonly string[] s_samples = ["", " ", "a", "hello", "é", "日本語", "😀", "\u0000", "\"", "\\", "\n", "\u2028", "\uFEFF", "\uFFFD"];

    /// <summary>A valid string (no lone surrogates) of 0 to <paramref name="max"/> characters, mixing ASCII, controls, and 2-, 3- and 4-byte UTF-8.</summary>
    public static string String(Random random, int max = 40)
    {
        if (random.Next(4) == 0)
        {
            return s_samples[random.Next(s_samples.Length)];
        }

        var length = random.Next(max + 1);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            switch (random.Next(10))
            {
                case 0:
                    text.Append((char)random.Next(0, 0x20));
                    break;
                case 1:
                    text.Append((char)random.Next(0x80, 0x800));
                    break;
                case 2:
                    text.Append((char)random.Next(0x800, 0xD800));
                    break;
                case 3:
                    text.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000)));
                    break;
                case 4:
                    text.Append("\"\\/{}[]:,"[random.Next(9)]);
                    break;
                default:
                    text.Append((char)random.Next(0x20, 0x7F));
                    break;
            }
        }

        var result = text.ToString();

        // The well-behaved clients' messages start with "calm:"; fuzzed messages never do, so each side can tell its own.
        return result.StartsWith("calm:", StringComparison.Ordinal) ? "x" + result : result;
    }

    /// <summary>UTF-8 with one invalid sequence inserted at a random place.</summary>
    public static byte[] InvalidUtf8(Random random)
    {
        var valid = Encoding.UTF8.GetBytes(String(random, 20));
        var bad = s_invalidUtf8[random.Next(s_invalidUtf8.Length)];

        // Insert between whole characters, so that the valid text around it stays valid.
        var text = Encoding.UTF8.GetString(valid);
        var at = random.Next(text.Length + 1);
        if (at < text.Length && char.IsLowSurrogate(text[at]))
        {
            at--;
        }

        var split = Encoding.UTF8.GetByteCount(text.AsSpan(0, at));
        return [.. valid.AsSpan(0, split), .. bad, .. valid.AsSpan(split)];
    }

    public static byte[] Bytes(Random random, int max)
    {
        var bytes = new byte[random.Next(max + 1)];
        random.NextBytes(bytes);
        return bytes;
    }
}
