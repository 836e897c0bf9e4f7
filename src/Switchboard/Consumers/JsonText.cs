using System.Text.Json;

namespace Switchboard;

/// <summary>
/// Finds JSON strings that cannot become .NET strings: an escape such as <c>"\ud800"</c> decodes to a lone surrogate,
/// which JSON's grammar allows but no UTF-8 text (so no WebSocket text message) can hold, and on which
/// <see cref="JsonElement.GetString"/> throws. A JSON consumer refuses such a message as invalid payload (1007) instead of
/// letting the handler fail (1011).
/// </summary>
internal static class JsonText
{
    /// <summary>Tells whether a parsed message holds a string (a value or a property name) that is not valid UTF-16.</summary>
    /// <param name="utf8">The message's UTF-8 text: only text with a <c>\u</c> escape is checked further.</param>
    /// <param name="root">The parsed message.</param>
    public static bool HasInvalidString(ReadOnlySpan<byte> utf8, JsonElement root) =>
        utf8.IndexOf("\\u"u8) >= 0 && HasInvalidString(root, depth: 0);

    private static bool HasInvalidString(JsonElement element, int depth)
    {
        // JsonDocument already bounds the depth (64 by default); this guard only keeps the recursion honest.
        if (depth > 256)
        {
            return false;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return !IsValid(element);
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (HasInvalidString(item, depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsValidName(property) || HasInvalidString(property.Value, depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static bool IsValid(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsValidName(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
