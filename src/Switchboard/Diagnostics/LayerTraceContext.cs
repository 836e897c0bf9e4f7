namespace Switchboard;

/// <summary>
/// The W3C trace context a channel-layer message carries from the span that sent it to the consumer that handles it:
/// a <c>traceparent</c> (<c>00-{trace id}-{span id}-{flags}</c>) and an optional <c>tracestate</c>. Network layers store
/// it under the reserved key <see cref="LayerMessage.TraceContextKey"/> as a map with those two W3C header names, so a
/// process in another language can extract it with its own W3C propagator.
/// </summary>
/// <param name="TraceParent">The <c>traceparent</c> value.</param>
/// <param name="TraceState">The <c>tracestate</c> value, or <see langword="null"/> when empty.</param>
internal sealed record LayerTraceContext(string TraceParent, string? TraceState)
{
    /// <summary>The key of the <c>traceparent</c> value inside the reserved map.</summary>
    public const string TraceParentKey = "traceparent";

    /// <summary>The key of the <c>tracestate</c> value inside the reserved map.</summary>
    public const string TraceStateKey = "tracestate";
}
