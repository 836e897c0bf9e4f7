using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Switchboard.Analyzers;

/// <summary>
/// The consumers a compilation can see: its own, and the public ones of the referenced assemblies that reference
/// Switchboard (a web app that references its workers' project sees their handlers). The library's own protocol bases
/// are left out: they handle no user message types.
/// </summary>
internal sealed class ConsumerCatalog
{
    private readonly List<HandlerMethod> _handlers = new();

    private ConsumerCatalog()
    {
    }

    /// <summary>Whether the compilation sees any consumer of the user's.</summary>
    public bool HasConsumers { get; private set; }

    /// <summary>Whether a consumer overrides <c>DispatchAsync</c>: it may handle any type, so no send can be called unhandled.</summary>
    public bool HasCustomDispatch { get; private set; }

    public IReadOnlyList<HandlerMethod> Handlers => _handlers;

    public static ConsumerCatalog Create(Compilation compilation, IEnumerable<INamedTypeSymbol> sourceConsumers, SwitchboardSymbols symbols)
    {
        var catalog = new ConsumerCatalog();
        foreach (var type in sourceConsumers)
        {
            catalog.Add(type, symbols);
        }

        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (!SymbolEqualityComparer.Default.Equals(assembly, symbols.Library) && References(assembly, symbols.Library))
            {
                catalog.AddPublicConsumers(assembly.GlobalNamespace, symbols);
            }
        }

        return catalog;
    }

    private static bool References(IAssemblySymbol assembly, IAssemblySymbol library)
    {
        foreach (var module in assembly.Modules)
        {
            foreach (var referenced in module.ReferencedAssemblySymbols)
            {
                if (SymbolEqualityComparer.Default.Equals(referenced, library))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private void AddPublicConsumers(INamespaceOrTypeSymbol container, SwitchboardSymbols symbols)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceSymbol ns)
            {
                AddPublicConsumers(ns, symbols);
            }
            else if (member is INamedTypeSymbol type)
            {
                if (symbols.IsConsumer(type))
                {
                    Add(type, symbols);
                }

                AddPublicConsumers(type, symbols);
            }
        }
    }

    private void Add(INamedTypeSymbol type, SwitchboardSymbols symbols)
    {
        HasConsumers = true;
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method)
            {
                continue;
            }

            if (method.IsOverride && method.Name == "DispatchAsync")
            {
                HasCustomDispatch = true;
            }
            else if (HandlerMethod.TryCreate(method, symbols) is { } handler)
            {
                _handlers.Add(handler);
            }
        }
    }
}
