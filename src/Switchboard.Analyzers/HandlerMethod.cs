using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Switchboard.Analyzers;

/// <summary>A layer-message handler of a consumer: a method the runtime would dispatch messages to.</summary>
internal sealed class HandlerMethod
{
    private HandlerMethod(IMethodSymbol method, ImmutableArray<string> attributeTypes)
    {
        Method = method;
        AttributeTypes = attributeTypes;
    }

    public IMethodSymbol Method { get; }

    /// <summary>The types of its <c>[MessageHandler("...")]</c> attributes; it also handles the type its name stands for.</summary>
    public ImmutableArray<string> AttributeTypes { get; }

    /// <summary>Whether the runtime dispatches <paramref name="messageType"/> to this handler.</summary>
    public bool Handles(string messageType)
    {
        foreach (var type in AttributeTypes)
        {
            if (type == messageType)
            {
                return true;
            }
        }

        return MessageTypeNames.Matches(messageType, Method.Name);
    }

    /// <summary>
    /// The method as a handler, or <see langword="null"/>: an instance method, not generic, taking a
    /// <c>LayerMessage</c> and optionally a <c>CancellationToken</c>, returning <c>Task</c> or <c>ValueTask</c>, the
    /// shape the runtime compiles (any accessibility: the runtime finds private handlers too).
    /// </summary>
    public static HandlerMethod? TryCreate(IMethodSymbol method, SwitchboardSymbols symbols)
    {
        if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.IsGenericMethod
            || method.Parameters.Length is < 1 or > 2
            || !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, symbols.LayerMessage)
            || (method.Parameters.Length == 2 && !SymbolEqualityComparer.Default.Equals(method.Parameters[1].Type, symbols.CancellationToken))
            || !(SymbolEqualityComparer.Default.Equals(method.ReturnType, symbols.Task) || SymbolEqualityComparer.Default.Equals(method.ReturnType, symbols.ValueTask)))
        {
            return null;
        }

        var types = ImmutableArray.CreateBuilder<string>();
        foreach (var attribute in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.MessageHandlerAttribute)
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is string type)
            {
                types.Add(type);
            }
        }

        return new HandlerMethod(method, types.ToImmutable());
    }
}
