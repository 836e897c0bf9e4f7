using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// The tagged JSON the Python scripts speak (<c>Python/tags.py</c>): bytes as <c>{"$bytes": hex}</c>, floats as
/// <c>{"$float": hex of the IEEE-754 bits}</c>, integers as JSON integers; map keys in insertion order, so that Python's
/// msgpack writes the same map order as ours.
/// </summary>
public static class TaggedJson
{
    /// <summary>Writes a channel-layer value (as <see cref="LayerMessage"/> holds it) as tagged JSON.</summary>
    public static string Write(object? value)
    {
        var text = new StringBuilder();
        Write(text, value);
        return text.ToString();
    }

    /// <summary>Reads tagged JSON back into channel-layer values (long, double, string, byte[], lists, maps).</summary>
    public static object? Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }

    /// <summary>Asserts that two channel-layer values are equal, kinds included (an integer is not a double).</summary>
    public static void AssertEqual(object? expected, object? actual, string path = "$")
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected null, got {actual}");
                break;
            case byte[] bytes:
                Assert.True(actual is byte[] other && bytes.AsSpan().SequenceEqual(other), $"{path}: bytes differ");
                break;
            case double real:
                Assert.True(actual is double d && BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(real), $"{path}: expected double {real}, got {actual} ({actual?.GetType().Name})");
                break;
            case string text:
                Assert.True(actual is string s && s == text, $"{path}: expected \"{text}\", got {actual}");
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                var expectedMap = map.ToDictionary(static pair => pair.Key, static pair => pair.Value);
                var actualMap = Assert.IsAssignableFrom<IEnumerable<KeyValuePair<string, object?>>>(actual).ToDictionary(static pair => pair.Key, static pair => pair.Value);
                Assert.True(expectedMap.Count == actualMap.Count, $"{path}: expected {expectedMap.Count} keys ({string.Join(",", expectedMap.Keys)}), got {actualMap.Count} ({string.Join(",", actualMap.Keys)})");
                foreach (var (key, item) in expectedMap)
                {
                    Assert.True(actualMap.TryGetValue(key, out var actualItem), $"{path}: key '{key}' missing");
                    AssertEqual(item, actualItem, $"{path}.{key}");
                }

                break;
            case IEnumerable list:
                var expectedItems = list.Cast<object?>().ToList();
                var actualItems = Assert.IsAssignableFrom<IEnumerable>(actual).Cast<object?>().ToList();
                Assert.True(expectedItems.Count == actualItems.Count, $"{path}: expected {expectedItems.Count} items, got {actualItems.Count}");
                for (var i = 0; i < expectedItems.Count; i++)
                {
                    AssertEqual(expectedItems[i], actualItems[i], $"{path}[{i}]");
                }

                break;
            default:
                Assert.True(Equals(expected, actual), $"{path}: expected {expected} ({expected.GetType().Name}), got {actual} ({actual?.GetType().Name})");
                break;
        }
    }

    private static void Write(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case bool flag:
                text.Append(flag ? "true" : "false");
                break;
            case long number:
                text.Append(number.ToString(CultureInfo.InvariantCulture));
                break;
            case double real:
                text.Append("{\"$float\":\"").Append(BitConverter.DoubleToInt64Bits(real).ToString("x16", CultureInfo.InvariantCulture)).Append("\"}");
                break;
            case string s:
                text.Append(JsonSerializer.Serialize(s));
                break;
            case byte[] bytes:
                text.Append("{\"$bytes\":\"").Append(Convert.ToHexStringLower(bytes)).Append("\"}");
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                text.Append('{');
                var first = true;
                foreach (var (key, item) in map)
                {
                    text.Append(first ? "" : ",").Append(JsonSerializer.Serialize(key)).Append(':');
                    Write(text, item);
                    first = false;
                }

                text.Append('}');
                break;
            case IEnumerable list:
                text.Append('[');
                var firstItem = true;
                foreach (var item in list)
                {
                    text.Append(firstItem ? "" : ",");
                    Write(text, item);
                    firstItem = false;
                }

                text.Append(']');
                break;
            default:
                throw new ArgumentException($"Not a channel-layer value: {value.GetType().Name}");
        }
    }

    private static object? Read(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                return element.GetInt64();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(Read).ToList();
            default:
                if (element.TryGetProperty("$bytes", out var hex) && element.EnumerateObject().Count() == 1)
                {
                    return Convert.FromHexString(hex.GetString()!);
                }

                if (element.TryGetProperty("$float", out var bits) && element.EnumerateObject().Count() == 1)
                {
                    return BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(Convert.FromHexString(bits.GetString()!)));
                }

                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = Read(property.Value);
                }

                return map;
        }
    }
}
