using System.Collections;
using System.Collections.ObjectModel;
using System.Text.Json;

namespace Switchboard;

/// <summary>Converts values into the channel-layer type system (Channels' spec: None, bool, int, float, str, bytes, list, dict).</summary>
internal static class LayerValue
{
    private const int MaxDepth = 64;

    private const string Allowed =
        "Allowed: null, bool, integers (64-bit), double, string, byte[], lists, maps with string keys and JsonElement.";

    /// <summary>Returns the value as the layer stores it, or throws naming the path of the bad value.</summary>
    public static object? Normalize(object? value, string path) => Normalize(value, path, 0);

    public static string Describe(object? value) => value is null ? "null" : value.GetType().Name;

    private static object? Normalize(object? value, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"The value at '{path}' nests deeper than {MaxDepth} levels (a cycle?).", nameof(value));
        }

        switch (value)
        {
            case null:
            case bool:
            case string:
            case long:
            case double:
            case LayerList:
            case LayerMap:
                return value;
            case int i: return (long)i;
            case short s: return (long)s;
            case sbyte sb: return (long)sb;
            case byte b: return (long)b;
            case ushort us: return (long)us;
            case uint ui: return (long)ui;
            case ulong ul when ul <= long.MaxValue: return (long)ul;
            case ulong:
                throw new ArgumentException($"The integer at '{path}' does not fit in 64 signed bits.", nameof(value));
            case float f: return (double)f;
            case byte[] bytes: return bytes.AsSpan().ToArray();
            case ReadOnlyMemory<byte> rom: return rom.ToArray();
            case Memory<byte> mem: return mem.ToArray();
            case JsonElement json: return FromJson(json, path, depth);
            case LayerMessage message: return NormalizeMap(message, path, depth);
            case IEnumerable<KeyValuePair<string, object?>> map: return NormalizeMap(map, path, depth);
            case IDictionary dictionary: return NormalizeDictionary(dictionary, path, depth);
            case IEnumerable sequence: return NormalizeList(sequence, path, depth);
            default:
                throw new ArgumentException(
                    $"The value at '{path}' is a {value.GetType().Name}, which a channel layer cannot carry. {Allowed}", nameof(value));
        }
    }

    private static LayerMap NormalizeMap(IEnumerable<KeyValuePair<string, object?>> map, string path, int depth)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, item) in map)
        {
            copy[key] = Normalize(item, $"{path}.{key}", depth + 1);
        }

        return new LayerMap(copy);
    }

    private static LayerMap NormalizeDictionary(IDictionary dictionary, string path, int depth)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is not string key)
            {
                throw new ArgumentException(
                    $"The map at '{path}' has a {entry.Key.GetType().Name} key; channel-layer map keys must be strings.", nameof(dictionary));
            }

            copy[key] = Normalize(entry.Value, $"{path}.{key}", depth + 1);
        }

        return new LayerMap(copy);
    }

    private static LayerList NormalizeList(IEnumerable sequence, string path, int depth)
    {
        var items = new List<object?>();
        foreach (var item in sequence)
        {
            items.Add(Normalize(item, $"{path}[{items.Count}]", depth + 1));
        }

        return new LayerList(items.ToArray());
    }

    private static object? FromJson(JsonElement json, string path, int depth)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.String: return json.GetString();
            case JsonValueKind.Number:
                // Box each branch separately: a plain `? l : double` would convert the long to a double.
                return json.TryGetInt64(out var l) ? l : (object)json.GetDouble();
            case JsonValueKind.Array:
                var items = new List<object?>();
                foreach (var item in json.EnumerateArray())
                {
                    items.Add(FromJson(item, $"{path}[{items.Count}]", depth + 1));
                }

                return new LayerList(items.ToArray());
            default:
                if (depth > MaxDepth)
                {
                    throw new ArgumentException($"The JSON at '{path}' nests deeper than {MaxDepth} levels.", nameof(json));
                }

                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in json.EnumerateObject())
                {
                    map[property.Name] = FromJson(property.Value, $"{path}.{property.Name}", depth + 1);
                }

                return new LayerMap(map);
        }
    }

    /// <summary>A list already in the layer's type system: read-only, so it is shared, never copied.</summary>
    /// <summary>Estimates the bytes a value occupies in memory: object headers, strings as UTF-16, bytes, boxed numbers,
    /// and containers with their entries. An estimate for budgets, not an exact count.</summary>
    public static long EstimateSize(object? value)
    {
        const long ObjectOverhead = 24;
        const long EntryOverhead = 24;
        switch (value)
        {
            case null:
                return 0;
            case string text:
                return ObjectOverhead + (2L * text.Length);
            case byte[] bytes:
                return ObjectOverhead + bytes.Length;
            case IEnumerable<KeyValuePair<string, object?>> map:
                var mapSize = 2 * ObjectOverhead;
                foreach (var (key, item) in map)
                {
                    mapSize += EntryOverhead + EstimateSize(key) + EstimateSize(item);
                }

                return mapSize;
            case IReadOnlyList<object?> list:
                var listSize = 2 * ObjectOverhead;
                foreach (var item in list)
                {
                    listSize += 8 + EstimateSize(item);
                }

                return listSize;
            default:
                return ObjectOverhead; // a boxed bool, long or double
        }
    }

    internal sealed class LayerList(object?[] items) : ReadOnlyCollection<object?>(items);

    /// <summary>A map already in the layer's type system: read-only, so it is shared, never copied.</summary>
    internal sealed class LayerMap(Dictionary<string, object?> map) : ReadOnlyDictionary<string, object?>(map);
}
