using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Switchboard;

/// <summary>
/// The layer-message handlers of one consumer type, found once per type by reflection and compiled to delegates,
/// so that dispatching a message costs one dictionary lookup and no reflection.
/// </summary>
internal sealed class MessageHandlerTable
{
    private static readonly ConcurrentDictionary<Type, MessageHandlerTable> s_tables = new();

    private readonly Type _consumerType;
    private readonly Dictionary<string, MessageHandler> _byAttribute = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MessageHandler> _byMethodName = new(StringComparer.OrdinalIgnoreCase);

    // Message type -> handler (null when there is none), filled on first use of each type.
    private readonly ConcurrentDictionary<string, MessageHandler?> _byType = new(StringComparer.Ordinal);

    // The last type found: a room's deliveries are one type after another, so they skip the lookup (a hash of the type
    // per delivery). Compared by value, which is by reference first (a group message is one instance for every member):
    // a layer that makes a new string per message (Redis) must not replace it, allocating, on every delivery. Replaced,
    // never changed, when another type comes.
    private LastFound? _last;

    private MessageHandlerTable(Type consumerType)
    {
        _consumerType = consumerType;
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (var method in consumerType.GetMethods(flags))
        {
            var handler = TryCompile(method);
            var attributes = method.GetCustomAttributes<MessageHandlerAttribute>();
            if (handler is null)
            {
                // A method that was meant as a handler but cannot be one would only fail at the first message; say so now.
                if (attributes.Any() || LooksLikeAHandler(method))
                {
                    throw new InvalidOperationException(
                        $"{consumerType.Name}.{method.Name} {(attributes.Any() ? "is marked [MessageHandler]" : "takes a LayerMessage")} but does not have a " +
                        $"handler's shape: make it an instance method 'Task {method.Name}(LayerMessage message, CancellationToken cancellationToken)' " +
                        "(or taking only the message, or returning ValueTask).");
                }

                continue;
            }

            foreach (var attribute in attributes)
            {
                _byAttribute[attribute.MessageType] = handler;
            }

            // Overloads of one handler name (ChatMessageAsync and ChatMessage) would make the choice arbitrary.
            var name = StripAsync(method.Name);
            if (!_byMethodName.TryAdd(name, handler) && method.DeclaringType == consumerType)
            {
                throw new InvalidOperationException(
                    $"{consumerType.Name} has two handlers for the messages that map to '{name}' ({method.Name} and another); keep one, " +
                    "or mark the other with [MessageHandler(\"its.type\")] under another name.");
            }
        }
    }

    /// <summary>Runs a handler for a message on a consumer.</summary>
    public delegate ValueTask MessageHandler(Consumer consumer, LayerMessage message, CancellationToken cancellationToken);

    public static MessageHandlerTable For(Type consumerType) => s_tables.GetOrAdd(consumerType, static t => new MessageHandlerTable(t));

    /// <summary>Finds the handler for a message type: an attribute first, then the naming convention.</summary>
    public MessageHandler? Find(string messageType)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && string.Equals(last.Type, messageType, StringComparison.Ordinal))
        {
            return last.Handler;
        }

        var handler = _byType.GetOrAdd(messageType, static (type, table) => table.Resolve(type), this);
        Volatile.Write(ref _last, new LastFound(messageType, handler));
        return handler;
    }

    /// <summary>The error for a message type without a handler, naming the method that was looked for.</summary>
    public Exception MissingHandler(string messageType)
    {
        if (messageType.Length == 0)
        {
            return new InvalidOperationException(
                $"{_consumerType.Name} received a channel-layer message without a 'type'; every message a consumer handles needs one, such as \"chat.message\".");
        }

        var method = ToMethodName(messageType);
        return new InvalidOperationException(
            $"{_consumerType.Name} has no handler for message type '{messageType}': add a method " +
            $"'Task {method}Async(LayerMessage message, CancellationToken cancellationToken)' or mark one with [MessageHandler(\"{messageType}\")].");
    }

    /// <summary>Converts a message type to the method name the convention looks for: <c>chat.message</c> → <c>ChatMessage</c>.</summary>
    internal static string ToMethodName(string messageType)
    {
        Span<char> buffer = stackalloc char[messageType.Length];
        var length = 0;
        var upper = true;
        foreach (var c in messageType)
        {
            if (c is '.' or '_' or '-')
            {
                upper = true;
                continue;
            }

            buffer[length++] = upper ? char.ToUpperInvariant(c) : c;
            upper = false;
        }

        return new string(buffer[..length]);
    }

    private MessageHandler? Resolve(string messageType)
    {
        if (_byAttribute.TryGetValue(messageType, out var handler))
        {
            return handler;
        }

        // Channels rejects types that start with '_' so that private methods can never be reached from the layer.
        if (messageType.Length == 0 || messageType[0] == '_')
        {
            return null;
        }

        return _byMethodName.GetValueOrDefault(ToMethodName(messageType));
    }

    /// <summary>A method that takes a <see cref="LayerMessage"/> first and is not the base class's own: meant as a handler.</summary>
    private static bool LooksLikeAHandler(MethodInfo method)
    {
        var parameters = method.GetParameters();
        return parameters.Length > 0
            && parameters[0].ParameterType == typeof(LayerMessage)
            && method.DeclaringType is { } declaring
            && declaring.Assembly != typeof(Consumer).Assembly
            && !method.IsPrivate
            && !method.IsSpecialName;
    }

    private static string StripAsync(string name) =>
        name.EndsWith("Async", StringComparison.Ordinal) && name.Length > 5 ? name[..^5] : name;

    private static MessageHandler? TryCompile(MethodInfo method)
    {
        if (method.IsStatic || method.IsGenericMethodDefinition || method.DeclaringType is null)
        {
            return null;
        }

        var parameters = method.GetParameters();
        var takesToken = parameters.Length == 2 && parameters[1].ParameterType == typeof(CancellationToken);
        if (parameters.Length is < 1 or > 2 || parameters[0].ParameterType != typeof(LayerMessage) || (parameters.Length == 2 && !takesToken))
        {
            return null;
        }

        if (method.ReturnType != typeof(Task) && method.ReturnType != typeof(ValueTask))
        {
            return null;
        }

        var consumer = Expression.Parameter(typeof(Consumer), "consumer");
        var message = Expression.Parameter(typeof(LayerMessage), "message");
        var token = Expression.Parameter(typeof(CancellationToken), "cancellationToken");
        Expression call = Expression.Call(
            Expression.Convert(consumer, method.DeclaringType),
            method,
            takesToken ? [message, token] : [message]);
        if (method.ReturnType == typeof(Task))
        {
            call = Expression.New(typeof(ValueTask).GetConstructor([typeof(Task)])!, call);
        }

        return Expression.Lambda<MessageHandler>(call, consumer, message, token).Compile();
    }

    private sealed record LastFound(string Type, MessageHandler? Handler);
}
