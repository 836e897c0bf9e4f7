using Microsoft.CodeAnalysis;

namespace Switchboard.Analyzers;

/// <summary>The diagnostics of <see cref="MessageHandlerAnalyzer"/>; their ids are public contract (docs/consumers.md).</summary>
internal static class MessageHandlerDiagnostics
{
    public const string Category = "Switchboard";

    /// <summary>
    /// A message type is sent (<c>new LayerMessage("chat.mesage")</c>) that no consumer visible to the compilation handles.
    /// A warning: at run time the receiving consumer fails on the first such message and closes its connection. It is
    /// reported only when the compilation sees consumers at all, so a project that only sends (a library, a job) is never
    /// warned; a project that sends to consumers of another process suppresses it (docs/consumers.md says how).
    /// </summary>
    public static readonly DiagnosticDescriptor UnhandledMessageType = new(
        id: "SB1001",
        title: "No consumer handles this message type",
        messageFormat: "No consumer in this project or the assemblies it references handles message type '{0}': add a method 'Task {1}Async(LayerMessage message, CancellationToken cancellationToken)' to the consumer that should receive it, or mark one with [MessageHandler(\"{0}\")]{2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A consumer dispatches each channel-layer message by its type (chat.message → ChatMessageAsync) and fails on a type it has no handler for. " +
            "When a consumer in another process (a worker, a Django Channels app) or in an assembly this project does not reference handles the type, " +
            "suppress this warning for that send (#pragma warning disable SB1001) or for the project (dotnet_diagnostic.SB1001.severity in .editorconfig).",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>
    /// A consumer has a handler for a message type that nothing in the compilation sends. Information only: handlers are
    /// often fed from other assemblies and processes, which the compiler cannot see, and a handler never called costs
    /// nothing; the message still points out a misspelt handler next to its sender.
    /// </summary>
    public static readonly DiagnosticDescriptor UnsentMessageType = new(
        id: "SB1002",
        title: "Nothing in this project sends the message type this handler handles",
        messageFormat: "{0}.{1} handles message type '{2}', which nothing in this project sends; check the type passed to new LayerMessage(...) and the handler's name, or ignore this when another process or assembly sends it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Reported for a layer-message handler whose type no new LayerMessage(\"...\") in the compilation uses. Only constant types are seen; " +
            "a project that builds message types at run time gets no SB1002 at all.",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>
    /// A consumer method meant as a handler (it takes a <c>LayerMessage</c> first and is not private, or it is marked
    /// <c>[MessageHandler]</c>) that does not have a handler's shape. The runtime refuses it when the routes are built, so the
    /// app would not start; the build says so first, with the same fix.
    /// </summary>
    public static readonly DiagnosticDescriptor NotAHandlerShape = new(
        id: "SB1003",
        title: "A consumer method meant as a handler does not have a handler's shape",
        messageFormat: "{0}.{1} {2} but does not have a handler's shape, so the app fails at startup: make it an instance method 'Task {1}(LayerMessage message, CancellationToken cancellationToken)' (or taking only the message, or returning ValueTask), or make it private if it is not a handler",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Consumer.AsApplication (and every router's Map<TConsumer>) checks the consumer's methods when the routes are built: " +
            "a non-private instance method that takes a LayerMessage first, or a method marked [MessageHandler], must take (LayerMessage[, CancellationToken]) and return Task or ValueTask.");
}
