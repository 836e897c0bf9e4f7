using Microsoft.CodeAnalysis;

namespace Switchboard.Analyzers;

/// <summary>The library types the analyzer looks for, resolved once per compilation.</summary>
internal sealed class SwitchboardSymbols
{
    private SwitchboardSymbols(
        INamedTypeSymbol consumer,
        INamedTypeSymbol layerMessage,
        INamedTypeSymbol? messageHandlerAttribute,
        INamedTypeSymbol? channelLayer,
        INamedTypeSymbol? functionRouter,
        INamedTypeSymbol cancellationToken,
        INamedTypeSymbol? task,
        INamedTypeSymbol? valueTask)
    {
        Consumer = consumer;
        LayerMessage = layerMessage;
        MessageHandlerAttribute = messageHandlerAttribute;
        ChannelLayer = channelLayer;
        FunctionRouter = functionRouter;
        CancellationToken = cancellationToken;
        Task = task;
        ValueTask = valueTask;
    }

    public INamedTypeSymbol Consumer { get; }

    public INamedTypeSymbol LayerMessage { get; }

    public INamedTypeSymbol? MessageHandlerAttribute { get; }

    public INamedTypeSymbol? ChannelLayer { get; }

    public INamedTypeSymbol? FunctionRouter { get; }

    public INamedTypeSymbol CancellationToken { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? ValueTask { get; }

    /// <summary>The assembly that defines the library's types: its own consumers (the protocol bases) are not the user's.</summary>
    public IAssemblySymbol Library => Consumer.ContainingAssembly;

    /// <summary>The symbols, or <see langword="null"/> for a compilation that does not reference Switchboard.</summary>
    public static SwitchboardSymbols? TryCreate(Compilation compilation)
    {
        var consumer = compilation.GetTypeByMetadataName("Switchboard.Consumer");
        var layerMessage = compilation.GetTypeByMetadataName("Switchboard.LayerMessage");
        var token = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        if (consumer is null || layerMessage is null || token is null)
        {
            return null;
        }

        return new SwitchboardSymbols(
            consumer,
            layerMessage,
            compilation.GetTypeByMetadataName("Switchboard.MessageHandlerAttribute"),
            compilation.GetTypeByMetadataName("Switchboard.IChannelLayer"),
            compilation.GetTypeByMetadataName("Switchboard.Functions.FunctionRouter"),
            token,
            compilation.GetTypeByMetadataName("System.Threading.Tasks.Task"),
            compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask"));
    }

    /// <summary>Whether a type derives from <see cref="Consumer"/> (directly or not).</summary>
    public bool IsConsumer(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, Consumer))
            {
                return true;
            }
        }

        return false;
    }
}
