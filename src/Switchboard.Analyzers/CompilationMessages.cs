using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Switchboard.Analyzers;

/// <summary>
/// What one compilation sends and how it receives, gathered from its operations (concurrently: analyzer callbacks run in
/// parallel) and read once at the compilation's end.
/// </summary>
internal sealed class CompilationMessages
{
    private readonly SwitchboardSymbols _symbols;
    private readonly ConcurrentBag<SentMessage> _sent = new();
    private readonly ConcurrentDictionary<string, bool> _functionRoutes = new();
    private readonly ConcurrentBag<INamedTypeSymbol> _consumers = new();
    private volatile bool _hasComputedTypes;
    private volatile bool _readsLayerDirectly;
    private volatile bool _hasComputedRoutes;

    public CompilationMessages(SwitchboardSymbols symbols) => _symbols = symbols;

    public IEnumerable<SentMessage> Sent => _sent;

    public IEnumerable<INamedTypeSymbol> SourceConsumers => _consumers;

    /// <summary>A message type built at run time (<c>new LayerMessage(type)</c>, <c>LayerMessage.FromJson</c>): any handler may be fed.</summary>
    public bool HasComputedTypes => _hasComputedTypes;

    /// <summary>The compilation reads from the layer itself (<c>IChannelLayer.ReceiveAsync</c>), so a message need not reach a consumer.</summary>
    public bool ReadsLayerDirectly => _readsLayerDirectly;

    /// <summary>A function route (<c>FunctionRouter.Route</c>) whose channel is not a constant: it may take any message.</summary>
    public bool HasComputedRoutes => _hasComputedRoutes;

    /// <summary>Whether a function route (the 1.x style) takes the type or the channel: those route by channel, not by handler name.</summary>
    public bool IsFunctionRoute(string name) => _functionRoutes.ContainsKey(name);

    public void AddType(INamedTypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Class && _symbols.IsConsumer(type))
        {
            _consumers.Add(type);
        }
    }

    public void AddCreation(IObjectCreationOperation creation)
    {
        if (creation.Constructor is not { } constructor
            || !SymbolEqualityComparer.Default.Equals(constructor.ContainingType, _symbols.LayerMessage)
            || constructor.Parameters.Length != 1
            || constructor.Parameters[0].Type.SpecialType != SpecialType.System_String
            || creation.Arguments.Length != 1)
        {
            return;
        }

        var channel = ChannelOf(creation);
        var value = creation.Arguments[0].Value;
        if (!AddConstants(value, channel))
        {
            _hasComputedTypes = true;
        }
    }

    public void AddInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.LayerMessage)
            && method.IsStatic && method.Name is "FromJson" or "FromDictionary")
        {
            _hasComputedTypes = true;
        }
        else if (method.Name == "ReceiveAsync" && IsChannelLayer(method.ContainingType))
        {
            _readsLayerDirectly = true;
        }
        else if (SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.FunctionRouter) && method.Name == "Route")
        {
            var route = Argument(invocation, "channel");
            if (route?.ConstantValue is { HasValue: true, Value: string name })
            {
                _functionRoutes.TryAdd(name, true);
            }
            else
            {
                _hasComputedRoutes = true;
            }
        }
    }

    private static IOperation? Argument(IInvocationOperation invocation, string parameter)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == parameter)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>The constant channel of the call a new message is passed to directly: <c>SendAsync("thumbnails", new LayerMessage(...))</c>.</summary>
    private static string? ChannelOf(IObjectCreationOperation creation)
    {
        IOperation? parent = creation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation invocation }
            && Argument(invocation, "channel")?.ConstantValue is { HasValue: true, Value: string channel }
            ? channel
            : null;
    }

    /// <summary>Records the constant type, or each branch of <c>cond ? "a" : "b"</c>; false when a type is not constant.</summary>
    private bool AddConstants(IOperation value, string? channel)
    {
        if (value.ConstantValue is { HasValue: true, Value: string type })
        {
            _sent.Add(new SentMessage(type, value.Syntax.GetLocation(), channel));
            return true;
        }

        if (value is IConditionalOperation { WhenFalse: { } whenFalse } conditional)
        {
            var whenTrue = AddConstants(conditional.WhenTrue, channel);
            return AddConstants(whenFalse, channel) && whenTrue;
        }

        return value is IConversionOperation conversion && AddConstants(conversion.Operand, channel);
    }

    private bool IsChannelLayer(INamedTypeSymbol? type)
    {
        if (type is null || _symbols.ChannelLayer is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type, _symbols.ChannelLayer))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, _symbols.ChannelLayer))
            {
                return true;
            }
        }

        return false;
    }
}
