using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Switchboard.Analyzers;

/// <summary>
/// Matches the channel-layer messages a project sends with the consumer handlers that receive them, at build time:
/// SB1001 for a sent type no consumer handles (the consumer would fail at the first such message), SB1002 for a handler
/// whose type nothing sends (often a misspelt name). It only sees constant types (<c>new LayerMessage("chat.message")</c>)
/// and the consumers of the compilation and of the Switchboard-using assemblies it references; whatever it cannot see
/// (types built at run time, a layer read directly, consumers that dispatch themselves) turns the check off rather than
/// guess.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MessageHandlerAnalyzer : DiagnosticAnalyzer
{
    // Switchboard's DroppedMessages.Type, handled by the Consumer base class itself.
    private const string DroppedMessagesType = "switchboard.messages.dropped";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(
            MessageHandlerDiagnostics.UnhandledMessageType, MessageHandlerDiagnostics.UnsentMessageType, MessageHandlerDiagnostics.NotAHandlerShape);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Only projects that use Switchboard, and not the library itself, whose consumers are the protocol bases.
            var symbols = SwitchboardSymbols.TryCreate(start.Compilation);
            if (symbols is null || SymbolEqualityComparer.Default.Equals(symbols.Library, start.Compilation.Assembly))
            {
                return;
            }

            var messages = new CompilationMessages(symbols);
            start.RegisterSymbolAction(c => messages.AddType((INamedTypeSymbol)c.Symbol), SymbolKind.NamedType);
            start.RegisterSymbolAction(c => CheckShape(c, symbols), SymbolKind.Method);
            start.RegisterOperationAction(c => messages.AddCreation((IObjectCreationOperation)c.Operation), OperationKind.ObjectCreation);
            start.RegisterOperationAction(c => messages.AddInvocation((IInvocationOperation)c.Operation), OperationKind.Invocation);
            start.RegisterCompilationEndAction(end => Report(end, symbols, messages));
        });
    }

    /// <summary>SB1003: the runtime's startup check (<c>MessageHandlerTable</c>), at build time.</summary>
    private static void CheckShape(SymbolAnalysisContext context, SwitchboardSymbols symbols)
    {
        var method = (IMethodSymbol)context.Symbol;

        // The runtime looks at instance methods only, and at ordinary ones (no accessors or operators).
        if (method.IsStatic || method.MethodKind != MethodKind.Ordinary || method.ContainingType is not { } type
            || type.TypeKind != TypeKind.Class || !symbols.IsConsumer(type) || HandlerMethod.TryCreate(method, symbols) is not null)
        {
            return;
        }

        var marked = method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, symbols.MessageHandlerAttribute));
        var takesMessage = method.DeclaredAccessibility != Accessibility.Private
            && method.Parameters.Length > 0
            && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, symbols.LayerMessage);
        if (marked || takesMessage)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                MessageHandlerDiagnostics.NotAHandlerShape,
                method.Locations[0],
                type.Name,
                method.Name,
                marked ? "is marked [MessageHandler]" : "takes a LayerMessage"));
        }
    }

    private static void Report(CompilationAnalysisContext context, SwitchboardSymbols symbols, CompilationMessages messages)
    {
        var catalog = ConsumerCatalog.Create(context.Compilation, messages.SourceConsumers, symbols);
        var sent = messages.Sent.ToList();
        ReportUnhandled(context, catalog, messages, sent);
        ReportUnsent(context, catalog, messages, sent);
    }

    /// <summary>SB1001, only where the compilation sees the consumers that could take the message.</summary>
    private static void ReportUnhandled(CompilationAnalysisContext context, ConsumerCatalog catalog, CompilationMessages messages, List<SentMessage> sent)
    {
        if (!catalog.HasConsumers || catalog.HasCustomDispatch || messages.ReadsLayerDirectly || messages.HasComputedRoutes)
        {
            return;
        }

        foreach (var message in sent)
        {
            if (message.Type == DroppedMessagesType
                || messages.IsFunctionRoute(message.Type)
                || (message.Channel is { } channel && messages.IsFunctionRoute(channel))
                || catalog.Handlers.Any(h => h.Handles(message.Type)))
            {
                continue;
            }

            var method = MessageTypeNames.ToMethodName(message.Type);
            context.ReportDiagnostic(Diagnostic.Create(
                MessageHandlerDiagnostics.UnhandledMessageType, message.Location, message.Type, method, Closest(catalog, method)));
        }
    }

    /// <summary>SB1002, for the compilation's own handlers, unless a type is built at run time somewhere.</summary>
    private static void ReportUnsent(CompilationAnalysisContext context, ConsumerCatalog catalog, CompilationMessages messages, List<SentMessage> sent)
    {
        if (messages.HasComputedTypes)
        {
            return;
        }

        foreach (var handler in catalog.Handlers)
        {
            var method = handler.Method;
            if (!method.Locations.Any(l => l.IsInSource) || sent.Any(m => handler.Handles(m.Type)))
            {
                continue;
            }

            var type = handler.AttributeTypes.Length > 0 ? handler.AttributeTypes[0] : MessageTypeNames.ToMessageType(method.Name);
            context.ReportDiagnostic(Diagnostic.Create(
                MessageHandlerDiagnostics.UnsentMessageType, method.Locations[0], method.ContainingType.Name, method.Name, type));
        }
    }

    /// <summary>A handler whose name is a near miss of the one asked for: the likely typo, named in the message.</summary>
    private static string Closest(ConsumerCatalog catalog, string method)
    {
        foreach (var handler in catalog.Handlers)
        {
            var name = MessageTypeNames.StripAsync(handler.Method.Name);
            if (MessageTypeNames.AreClose(name, method))
            {
                return $" ({handler.Method.ContainingType.Name}.{handler.Method.Name} handles '{MessageTypeNames.ToMessageType(handler.Method.Name)}': is one of the two misspelt?)";
            }
        }

        return "";
    }
}
