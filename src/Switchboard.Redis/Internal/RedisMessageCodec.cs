using System.Buffers;
using System.Text;
using MessagePack;

namespace Switchboard.Redis.Internal;

/// <summary>
/// channels_redis 4's message framing (wire spec §5): <c>R[n] + body</c>, where <c>R</c> is
/// <see cref="RedisChannelLayerOptions.RandomPrefixLength"/> random bytes that keep equal payloads distinct in a sorted
/// set, and <c>body</c> is the msgpack map (Python's <c>packb(use_bin_type=True)</c>: the smallest encodings, str for
/// text, bin for bytes, float64 for doubles), or its Fernet token when encryption is on.
/// </summary>
/// <remarks>The reserved key <c>__asgi_channel__</c> tells the receiving process which of its local channels a message
/// is for: a string on a direct send, an array of names on a group send (one copy per receiving process). Switchboard's
/// reserved key <c>__switchboard_trace__</c> (<see cref="LayerMessage.TraceContextKey"/>) carries the sending span's
/// W3C trace context as <c>{"traceparent": ..., "tracestate": ...}</c>, written only for a message whose
/// <see cref="LayerMessage.TraceContext"/> is set (a traced send), so an untraced message's bytes are channels_redis'
/// own.</remarks>
internal sealed class RedisMessageCodec
{
    /// <summary>The reserved key that names a message's local channels.</summary>
    public const string ChannelKey = "__asgi_channel__";

    private const int MaxDepth = 64;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly int _randomPrefixLength;
    private readonly FernetCrypter? _crypter;
    private readonly bool _readTraceContext;

    /// <param name="randomPrefixLength">The random prefix's length.</param>
    /// <param name="crypter">Encrypts and decrypts bodies, or <see langword="null"/>.</param>
    /// <param name="readTraceContext">Whether a decoded trace context is kept for the handling consumer to continue
    /// (<see cref="ChannelLayerOptions.PropagateTraceContext"/>); the reserved key is taken out of the message either way.</param>
    public RedisMessageCodec(int randomPrefixLength, FernetCrypter? crypter, bool readTraceContext = true)
    {
        _randomPrefixLength = randomPrefixLength;
        _crypter = crypter;
        _readTraceContext = readTraceContext;
    }

    /// <summary>Serializes a message for a direct send; <paramref name="channel"/> (a process-specific name) goes into
    /// <c>__asgi_channel__</c> as a string, or nothing is added for a normal channel.</summary>
    public byte[] Serialize(LayerMessage message, string? channel)
    {
        var body = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(body);
        writer.WriteMapHeader(EntryCount(message) + (channel is null ? 0 : 1));
        WriteEntries(ref writer, message);
        if (channel is not null)
        {
            writer.Write(ChannelKey);
            writer.Write(channel);
        }

        writer.Flush();
        return Frame(body.WrittenSpan);
    }

    /// <summary>Encodes a group message's own entries once; <see cref="SerializeForGroup"/> then adds each receiving
    /// process's channel list.</summary>
    public GroupBody PrepareGroup(LayerMessage message)
    {
        var body = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(body);
        WriteEntries(ref writer, message);
        writer.Flush();
        return new GroupBody(EntryCount(message), body.WrittenMemory);
    }

    /// <summary>Gets whether messages are encrypted (then a copy can only be built here, not in a Redis script).</summary>
    public bool IsEncrypted => _crypter is not null;

    /// <summary>The parts a Redis script assembles a group message's copies from (<c>RedisScripts.GroupSendOneHost</c>):
    /// one random prefix, the map header (entries plus <c>__asgi_channel__</c>) and the encoded entries.</summary>
    public (byte[] RandomPrefix, byte[] MapHeader) PrepareScriptedGroup(GroupBody body)
    {
        var header = new ArrayBufferWriter<byte>(8);
        var writer = new MessagePackWriter(header);
        writer.WriteMapHeader(body.Count + 1);
        writer.Flush();
        var random = new byte[_randomPrefixLength];
        Random.Shared.NextBytes(random);
        return (random, header.WrittenSpan.ToArray());
    }

    /// <summary>Serializes one copy of a group message for the channels of one Redis key.</summary>
    public byte[] SerializeForGroup(GroupBody body, IReadOnlyList<string> channels)
    {
        var output = new ArrayBufferWriter<byte>(body.Entries.Length + 16 + (channels.Count * 80));
        var writer = new MessagePackWriter(output);
        writer.WriteMapHeader(body.Count + 1);
        writer.WriteRaw(body.Entries.Span);
        writer.Write(ChannelKey);
        writer.WriteArrayHeader(channels.Count);
        for (var i = 0; i < channels.Count; i++)
        {
            writer.Write(channels[i]);
        }

        writer.Flush();
        return Frame(output.WrittenSpan);
    }

    /// <summary>Reads a stored member: skips the random prefix, decrypts when configured, decodes the map and takes out
    /// <c>__asgi_channel__</c>.</summary>
    /// <exception cref="InvalidDataException">The member is not a channels_redis message (says why).</exception>
    public DecodedMessage Deserialize(ReadOnlyMemory<byte> member)
    {
        if (member.Length <= _randomPrefixLength)
        {
            throw new InvalidDataException(
                $"A stored message of {member.Length} bytes is too short: it needs {_randomPrefixLength} random bytes and a msgpack map (RandomPrefixLength must match every sender's).");
        }

        var body = member[_randomPrefixLength..];
        if (_crypter is not null)
        {
            body = _crypter.Decrypt(body.Span);
        }

        try
        {
            return Decode(body);
        }
        catch (MessagePackSerializationException ex)
        {
            throw new InvalidDataException($"A stored message is not valid msgpack: {ex.Message}", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("A stored message ends in the middle of its msgpack map.", ex);
        }
    }

    private byte[] Frame(ReadOnlySpan<byte> body)
    {
        if (_crypter is not null)
        {
            var token = _crypter.Encrypt(body);
            var framed = new byte[_randomPrefixLength + token.Length];
            Random.Shared.NextBytes(framed.AsSpan(0, _randomPrefixLength));
            token.CopyTo(framed.AsSpan(_randomPrefixLength));
            return framed;
        }

        var member = new byte[_randomPrefixLength + body.Length];

        // Not cryptographic, as in channels_redis: the bytes only make equal payloads distinct members.
        Random.Shared.NextBytes(member.AsSpan(0, _randomPrefixLength));
        body.CopyTo(member.AsSpan(_randomPrefixLength));
        return member;
    }

    /// <summary>The map entries a message is written with: its keys, plus the trace context when it carries one.</summary>
    private static int EntryCount(LayerMessage message) => message.Count + (message.TraceContext is null ? 0 : 1);

    private static void WriteEntries(ref MessagePackWriter writer, LayerMessage message)
    {
        foreach (var (key, value) in message)
        {
            if (key == ChannelKey)
            {
                throw new ArgumentException(
                    $"A message cannot carry the key '{ChannelKey}': channels_redis reserves it to route messages inside a process. Rename the key.",
                    nameof(message));
            }

            if (key == LayerMessage.TraceContextKey)
            {
                throw new ArgumentException(
                    $"A message cannot carry the key '{LayerMessage.TraceContextKey}': Switchboard reserves it for the sender's trace context. Rename the key.",
                    nameof(message));
            }

            writer.Write(key);
            WriteValue(ref writer, value);
        }

        if (message.TraceContext is { } trace)
        {
            // After the message's own entries, like __asgi_channel__: a reader of the wire sees the content first.
            writer.Write(LayerMessage.TraceContextKey);
            writer.WriteMapHeader(trace.TraceState is null ? 1 : 2);
            writer.Write(LayerTraceContext.TraceParentKey);
            writer.Write(trace.TraceParent);
            if (trace.TraceState is not null)
            {
                writer.Write(LayerTraceContext.TraceStateKey);
                writer.Write(trace.TraceState);
            }
        }
    }

    private static void WriteValue(ref MessagePackWriter writer, object? value)
    {
        // LayerMessage holds only the channel-layer types, already normalised when they were set.
        switch (value)
        {
            case null:
                writer.WriteNil();
                break;
            case string text:
                writer.Write(text);
                break;
            case long number:
                writer.Write(number);
                break;
            case bool flag:
                writer.Write(flag);
                break;
            case double real:
                writer.Write(real);
                break;
            case byte[] bytes:
                writer.Write(bytes.AsSpan());
                break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteMapHeader(map.Count);
                foreach (var (key, item) in map)
                {
                    writer.Write(key);
                    WriteValue(ref writer, item);
                }

                break;
            case IReadOnlyList<object?> list:
                writer.WriteArrayHeader(list.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    WriteValue(ref writer, list[i]);
                }

                break;
            default:
                throw new ArgumentException($"A {value.GetType().Name} is not a channel-layer value; LayerMessage only holds null, bool, long, double, string, byte[], lists and maps.", nameof(value));
        }
    }

    private DecodedMessage Decode(ReadOnlyMemory<byte> body)
    {
        var reader = new MessagePackReader(body);
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            throw new InvalidDataException($"A stored message is a msgpack {reader.NextMessagePackType}, not a map: channel-layer messages are maps with string keys.");
        }

        var count = reader.ReadMapHeader();
        var values = new Dictionary<string, object?>(count, StringComparer.Ordinal);
        string? channel = null;
        string[]? channels = null;
        LayerTraceContext? trace = null;
        for (var i = 0; i < count; i++)
        {
            var key = ReadKey(ref reader, "$");
            if (key == ChannelKey)
            {
                (channel, channels) = ReadTargets(ref reader);
                continue;
            }

            if (key == LayerMessage.TraceContextKey)
            {
                trace = ReadTraceContext(ref reader);
                continue;
            }

            values[key] = ReadValue(ref reader, key, 1);
        }

        if (!reader.End)
        {
            throw new InvalidDataException($"A stored message has {body.Length - reader.Consumed} extra bytes after its msgpack map.");
        }

        var message = LayerMessage.FromDictionary(values, requireType: false);
        if (_readTraceContext)
        {
            message.TraceContext = trace;
        }

        return new DecodedMessage(message, channel, channels);
    }

    /// <summary>Reads the reserved trace map; anything malformed is skipped, not fatal: the message still counts, only
    /// its trace does not continue.</summary>
    private static LayerTraceContext? ReadTraceContext(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            reader.Skip();
            return null;
        }

        string? traceParent = null;
        string? traceState = null;
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            var key = ReadTraceString(ref reader);
            var value = ReadTraceString(ref reader);
            if (key == LayerTraceContext.TraceParentKey)
            {
                traceParent = value;
            }
            else if (key == LayerTraceContext.TraceStateKey)
            {
                traceState = value;
            }
        }

        return traceParent is null ? null : new LayerTraceContext(traceParent, string.IsNullOrEmpty(traceState) ? null : traceState);
    }

    private static (string? Channel, string[]? Channels) ReadTargets(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.String:
                return (ReadText(ref reader, ChannelKey), null);
            case MessagePackType.Array:
                var names = new string[reader.ReadArrayHeader()];
                for (var i = 0; i < names.Length; i++)
                {
                    names[i] = reader.NextMessagePackType == MessagePackType.String
                        ? ReadText(ref reader, ChannelKey)
                        : throw new InvalidDataException($"'{ChannelKey}' lists a {reader.NextMessagePackType}; it must list channel names.");
                }

                return (null, names);
            default:
                throw new InvalidDataException($"'{ChannelKey}' is a {reader.NextMessagePackType}; it must be a channel name or a list of them.");
        }
    }

    private static string? ReadTraceString(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType == MessagePackType.String)
        {
            return reader.ReadString();
        }

        reader.Skip();
        return null;
    }

    private static string ReadKey(ref MessagePackReader reader, string path) => reader.NextMessagePackType switch
    {
        MessagePackType.String => ReadText(ref reader, path),

        // Python's strict_map_key accepts bytes keys too.
        MessagePackType.Binary => DecodeUtf8(reader.ReadBytes()!.Value, path),
        var other => throw new InvalidDataException($"The map at '{path}' has a {other} key; channel-layer map keys must be strings."),
    };

    private static object? ReadValue(ref MessagePackReader reader, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException($"The value at '{path}' nests deeper than {MaxDepth} levels.");
        }

        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    var unsigned = reader.ReadUInt64();
                    return unsigned <= long.MaxValue
                        ? (long)unsigned
                        : throw new InvalidDataException($"The integer {unsigned} at '{path}' does not fit in 64 signed bits, the channel layer's integer range.");
                }

                return reader.ReadInt64();
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.String:
                return ReadText(ref reader, path);
            case MessagePackType.Binary:
                return reader.ReadBytes()!.Value.ToArray();
            case MessagePackType.Array:
                var items = new object?[reader.ReadArrayHeader()];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = ReadValue(ref reader, $"{path}[{i}]", depth + 1);
                }

                return new LayerValue.LayerList(items);
            case MessagePackType.Map:
                var count = reader.ReadMapHeader();
                var map = new Dictionary<string, object?>(count, StringComparer.Ordinal);
                for (var i = 0; i < count; i++)
                {
                    var key = ReadKey(ref reader, path);
                    map[key] = ReadValue(ref reader, $"{path}.{key}", depth + 1);
                }

                return new LayerValue.LayerMap(map);
            default:
                throw new InvalidDataException(
                    $"The value at '{path}' is a msgpack {reader.NextMessagePackType} (code 0x{reader.NextCode:x2}); channel-layer messages carry only nil, bool, int, float, str, bin, array and map.");
        }
    }

    private static string ReadText(ref MessagePackReader reader, string path) => DecodeUtf8(reader.ReadStringSequence()!.Value, path);

    private static string DecodeUtf8(ReadOnlySequence<byte> bytes, string path)
    {
        try
        {
            return bytes.IsSingleSegment ? s_strictUtf8.GetString(bytes.FirstSpan) : s_strictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"The text at '{path}' is not valid UTF-8.", ex);
        }
    }

    /// <summary>A group message's entries, encoded once for every receiving process.</summary>
    internal readonly record struct GroupBody(int Count, ReadOnlyMemory<byte> Entries);

    /// <summary>A decoded member: the message and its local channel(s) from <c>__asgi_channel__</c>, if any.</summary>
    internal readonly record struct DecodedMessage(LayerMessage Message, string? Channel, string[]? Channels);
}
