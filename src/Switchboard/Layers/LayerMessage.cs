using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Switchboard;

/// <summary>
/// A channel-layer message: a map with string keys whose values stay within the channel-layer type system, so that it
/// can cross processes and languages (channels_redis stores it as msgpack). Its <c>type</c> key names the handler a
/// consumer runs for it: <c>chat.message</c> runs <c>ChatMessageAsync</c>.
/// </summary>
/// <remarks>
/// <para>Allowed values: <see langword="null"/>, <see cref="bool"/>, 64-bit integers (smaller integer types widen to
/// <see cref="long"/>), <see cref="double"/> (<see cref="float"/> widens), <see cref="string"/>, bytes
/// (<see cref="T:byte[]"/> or <see cref="ReadOnlyMemory{T}"/>, stored as <see cref="T:byte[]"/>), lists
/// (any <see cref="IEnumerable"/>, stored as <see cref="IReadOnlyList{T}"/>), maps with string keys (stored as
/// <see cref="IReadOnlyDictionary{TKey, TValue}"/>) and <see cref="JsonElement"/> (converted). Anything else is refused
/// when it is set, with an <see cref="ArgumentException"/> naming the key: the error surfaces at the sender, not at
/// the receiver.</para>
/// <para>Values are copied when set, and a message becomes read-only once it is sent, so one instance can be
/// delivered to every member of a group without a copy per member. Use <see cref="Clone"/> for an editable copy.</para>
/// </remarks>
public sealed class LayerMessage : ApplicationEvent, IReadOnlyDictionary<string, object?>
{
    /// <summary>The key that holds the message type.</summary>
    public const string TypeKey = "type";

    /// <summary>The reserved key under which a network layer (Redis) stores the W3C trace context of the span that sent
    /// the message, as a map <c>{"traceparent": "00-…-…-01", "tracestate": "…"}</c> (docs/channel-layers.md, "Trace
    /// context"). Layers write it only while a listener samples the sending span and
    /// <see cref="ChannelLayerOptions.PropagateTraceContext"/> is on, and take it out when they decode a message: a
    /// handler never sees it among the message's keys.</summary>
    public const string TraceContextKey = "__switchboard_trace__";

    // A read-only message's state: Editable until it is sent, then ReadOnlyUnsized, then its size estimate (> 0) once
    // computed. One field for both, so that the trace context's reference costs no extra bytes per message: every
    // message (traced or not) keeps the size of one with a bool and a long.
    private const long Editable = 0;
    private const long ReadOnlyUnsized = -1;

    private readonly Dictionary<string, object?> _values;
    private string _type;
    private long _state;

    // One derived value (for example the frame every group member sends), computed once per read-only message.
    private Derived? _derived;

    /// <summary>Creates a message of the given type; add values with the indexer: <c>new LayerMessage("chat.message") { ["message"] = text }</c>.</summary>
    /// <param name="type">The message type, for example <c>chat.message</c>.</param>
    public LayerMessage(string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        _type = type;
        _values = new Dictionary<string, object?>(StringComparer.Ordinal) { [TypeKey] = type };
    }

    private LayerMessage(Dictionary<string, object?> values)
    {
        _values = values;
        _type = values.TryGetValue(TypeKey, out var type) && type is string s ? s : string.Empty;
    }

    /// <summary>Gets or sets the trace context of the span that sent this message, which the consumer that handles it
    /// continues; <see langword="null"/> when the sender was not traced. Not one of the message's keys: layers set it
    /// when they store or decode the message (see <see cref="TraceContextKey"/>), and <see cref="Clone"/> leaves it out.</summary>
    internal LayerTraceContext? TraceContext { get; set; }

    /// <summary>Gets the message type, or an empty string for a message that arrived without one.</summary>
    public override string Type => _type;

    /// <summary>Gets a value indicating whether the message can no longer change (it has been sent).</summary>
    public bool IsReadOnly => Volatile.Read(ref _state) != Editable;

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc />
    public IEnumerable<object?> Values => _values.Values;

    /// <summary>Gets or sets a value. Setting converts the value into the channel-layer type system or throws.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="KeyNotFoundException">Getting a key that is absent.</exception>
    /// <exception cref="ArgumentException">Setting a value the channel layer cannot carry, or a non-string <c>type</c>.</exception>
    /// <exception cref="InvalidOperationException">Setting a value on a message that has been sent.</exception>
    public object? this[string key]
    {
        get => _values[key];
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            if (IsReadOnly)
            {
                throw new InvalidOperationException(
                    $"This '{_type}' message has been sent and can no longer change. Call Clone() for an editable copy.");
            }

            var normalized = LayerValue.Normalize(value, key);
            if (key == TypeKey)
            {
                if (normalized is not string type || type.Length == 0)
                {
                    throw new ArgumentException("A message's 'type' must be a non-empty string such as \"chat.message\".", nameof(value));
                }

                _type = type;
            }

            _values[key] = normalized;
        }
    }

    /// <summary>Creates a message from a map, converting every value; the map needs a string <c>type</c> unless
    /// <paramref name="requireType"/> is false (a layer decoding a foreign message).</summary>
    /// <param name="values">The keys and values.</param>
    /// <param name="requireType">Whether a missing <c>type</c> is an error.</param>
    /// <returns>The message.</returns>
    /// <exception cref="ArgumentException">A value the channel layer cannot carry, or a missing type.</exception>
    public static LayerMessage FromDictionary(IEnumerable<KeyValuePair<string, object?>> values, bool requireType = true)
    {
        ArgumentNullException.ThrowIfNull(values);
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            copy[key] = LayerValue.Normalize(value, key);
        }

        if (copy.TryGetValue(TypeKey, out var type) ? type is not string { Length: > 0 } : requireType)
        {
            throw new ArgumentException("A channel-layer message needs a non-empty string 'type', such as \"chat.message\".", nameof(values));
        }

        return new LayerMessage(copy);
    }

    /// <summary>Creates a message from a JSON object such as <c>{"type": "chat.message", "message": "hi"}</c>.</summary>
    /// <param name="json">A JSON object with a string <c>type</c>.</param>
    /// <returns>The message.</returns>
    /// <exception cref="ArgumentException">The JSON is not an object, or has no string <c>type</c>.</exception>
    public static LayerMessage FromJson(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A channel-layer message must be a JSON object, not {json.ValueKind}.", nameof(json));
        }

        return FromDictionary((IReadOnlyDictionary<string, object?>)LayerValue.Normalize(json, "$")!);
    }

    /// <summary>Returns an editable deep copy (values are immutable, so sharing them is safe).</summary>
    /// <returns>The copy.</returns>
    public LayerMessage Clone() => new(new Dictionary<string, object?>(_values, StringComparer.Ordinal));

    /// <summary>Makes the message read-only. Layers call this when a message is sent.</summary>
    public void MakeReadOnly()
    {
        // No interlocked operation on the per-send path: a race with another MakeReadOnly can at worst drop a size
        // estimate cached meanwhile, which is then computed again; the message stays read-only either way.
        if (Volatile.Read(ref _state) == Editable)
        {
            Volatile.Write(ref _state, ReadOnlyUnsized);
        }
    }

    /// <summary>
    /// Returns a value computed from this message once and shared by every receiver of this instance. A layer hands the
    /// same read-only instance to every member of a group (the in-memory layer) or every consumer of a process (a network
    /// layer), so a frame built here is serialized once per message instead of once per member.
    /// </summary>
    /// <typeparam name="T">The derived value's type; it must be immutable, since receivers share it.</typeparam>
    /// <param name="key">Identifies the derivation (for example a static delegate or object).</param>
    /// <param name="factory">Computes the value from the message; may run more than once under a race, and the results must be equal.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The message is still editable (it has not been sent).</exception>
    public T GetOrAddDerived<T>(object key, Func<LayerMessage, T> factory)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        return GetOrAddDerived(key, static (message, factory) => factory(message), factory);
    }

    /// <summary>
    /// Returns a value computed from this message and <paramref name="factoryArgument"/> once and shared by every receiver
    /// of this instance, like <see cref="GetOrAddDerived{T}(object, Func{LayerMessage, T})"/>; the argument lets a static
    /// factory reach what it needs, so that the call allocates nothing when the value is cached (once per receiver of
    /// every group message).
    /// </summary>
    /// <typeparam name="TArg">The type of the factory's argument.</typeparam>
    /// <typeparam name="T">The derived value's type; it must be immutable, since receivers share it.</typeparam>
    /// <param name="key">Identifies the derivation (for example a static delegate or object).</param>
    /// <param name="factory">Computes the value from the message and the argument; may run more than once under a race, and the results must be equal.</param>
    /// <param name="factoryArgument">Passed to <paramref name="factory"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The message is still editable (it has not been sent).</exception>
    public T GetOrAddDerived<TArg, T>(object key, Func<LayerMessage, TArg, T> factory, TArg factoryArgument)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        if (!IsReadOnly)
        {
            throw new InvalidOperationException("Only a sent (read-only) message caches derived values; an editable one could still change.");
        }

        var derived = Volatile.Read(ref _derived);
        if (derived is not null && ReferenceEquals(derived.Key, key) && derived.Value is T cached)
        {
            return cached;
        }

        var value = factory(this, factoryArgument);

        // One slot is enough in practice (one frame per message); a second key is computed each time, not cached.
        Interlocked.CompareExchange(ref _derived, new Derived(key, value), null);
        return value;
    }

    /// <summary>Gets an estimate, in bytes, of the memory this message occupies (its strings as UTF-16, its bytes, its
    /// boxed numbers and its containers), which is what layers charge against a process-specific channel's byte budget.
    /// Computed once for a read-only message, which every receiver shares.</summary>
    internal long SizeEstimate
    {
        get
        {
            var state = Volatile.Read(ref _state);
            if (state > 0)
            {
                return state;
            }

            var size = LayerValue.EstimateSize(_values);
            if (state == ReadOnlyUnsized)
            {
                // At least 1, so that a cached estimate is never mistaken for a state.
                Interlocked.CompareExchange(ref _state, Math.Max(size, 1), ReadOnlyUnsized);
            }

            return size;
        }
    }

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => _values.TryGetValue(key, out value);

    /// <summary>Gets a string value.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The string.</returns>
    /// <exception cref="KeyNotFoundException">The key is absent.</exception>
    /// <exception cref="InvalidCastException">The value is not a string.</exception>
    public string GetString(string key) => Get<string>(key);

    /// <summary>Gets an integer value.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The integer.</returns>
    /// <exception cref="KeyNotFoundException">The key is absent.</exception>
    /// <exception cref="InvalidCastException">The value is not an integer.</exception>
    public long GetInt64(string key) => Get<long>(key);

    /// <summary>Gets a number as a double; integers convert.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The number.</returns>
    public double GetDouble(string key) => _values[key] is long l ? l : Get<double>(key);

    /// <summary>Gets a boolean value.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The boolean.</returns>
    public bool GetBoolean(string key) => Get<bool>(key);

    /// <summary>Gets a bytes value.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The bytes.</returns>
    public byte[] GetBytes(string key) => Get<byte[]>(key);

    /// <summary>Gets a value of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected type: <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>,
    /// <see cref="T:byte[]"/>, <see cref="IReadOnlyList{T}"/> of <see cref="object"/> or <see cref="IReadOnlyDictionary{TKey, TValue}"/>.</typeparam>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The key is absent.</exception>
    /// <exception cref="InvalidCastException">The value has another type.</exception>
    public T Get<T>(string key)
    {
        if (!_values.TryGetValue(key, out var value))
        {
            throw new KeyNotFoundException($"The '{_type}' message has no '{key}' key.");
        }

        return value is T typed
            ? typed
            : throw new InvalidCastException(
                $"The '{key}' value of the '{_type}' message is {LayerValue.Describe(value)}, not {typeof(T).Name}.");
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed record Derived(object Key, object Value);
}
