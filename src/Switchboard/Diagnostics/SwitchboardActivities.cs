using System.Diagnostics;

namespace Switchboard;

/// <summary>
/// The <c>Switchboard</c> activity source and its activity names (docs/diagnostics.md, "Activities"), with the helpers
/// that start each kind of span. Every helper returns <see langword="null"/> at once, allocating nothing, while no
/// listener subscribes to the source: the per-message paths pay one <see cref="ActivitySource.HasListeners"/> check.
/// </summary>
internal static class SwitchboardActivities
{
    /// <summary>The interface server's handshake: a WebSocket's upgrade until it is accepted or refused, an HTTP
    /// exchange until the response starts. A child of ASP.NET Core's request activity.</summary>
    public const string Handshake = "switchboard.handshake";

    /// <summary>One event handled by a consumer (a client event or a layer message); its display name is the event type.</summary>
    public const string Handle = "switchboard.handle";

    /// <summary>A consumer's end sequence: it leaves its groups and runs its disconnect hook.</summary>
    public const string End = "switchboard.consumer.end";

    /// <summary>A channel layer's <c>send</c>.</summary>
    public const string LayerSend = "switchboard.layer.send";

    /// <summary>A channel layer's <c>group_send</c>.</summary>
    public const string LayerGroupSend = "switchboard.layer.group_send";

    /// <summary>A channel layer's <c>group_add</c>.</summary>
    public const string LayerGroupAdd = "switchboard.layer.group_add";

    /// <summary>A channel layer's <c>group_discard</c>.</summary>
    public const string LayerGroupDiscard = "switchboard.layer.group_discard";

    /// <summary>A channel layer's <c>flush</c>.</summary>
    public const string LayerFlush = "switchboard.layer.flush";

    /// <summary>The source. Its version is the Switchboard assembly's.</summary>
    public static readonly ActivitySource Source = new(
        SwitchboardDiagnostics.ActivitySourceName, typeof(SwitchboardActivities).Assembly.GetName().Version?.ToString());

    /// <summary>Starts a connection's tracing: a <see cref="ConnectionTrace"/> only while something listens.</summary>
    /// <param name="detachAfterHandshake">Whether the events after the handshake start traces of their own (WebSocket).</param>
    public static ConnectionTrace? CreateConnectionTrace(bool detachAfterHandshake) =>
        Source.HasListeners() ? new ConnectionTrace(detachAfterHandshake) : null;

    /// <summary>
    /// Starts the handshake span as a child of the current activity (ASP.NET Core's request), records both in
    /// <paramref name="trace"/>, and leaves the current activity as it was, so that the application, which the server
    /// starts next, runs under the request: its handle spans pick their parents from <paramref name="trace"/>.
    /// </summary>
    public static Activity? StartHandshake(ConnectionTrace? trace, string scopeType)
    {
        if (trace is null || !Source.HasListeners())
        {
            return null;
        }

        var request = Activity.Current;
        trace.Connection = request?.Context ?? default;
        var handshake = Source.StartActivity(Handshake, ActivityKind.Internal);
        if (handshake is null)
        {
            return null;
        }

        Activity.Current = request;
        handshake.SetTag(SwitchboardActivityTags.ScopeTypeTag, scopeType);
        trace.SetHandshake(handshake);
        return handshake;
    }

    /// <summary>Ends the handshake at this instant with its HTTP status (101 accepted, 403 refused, ...): records the
    /// status and the end time, so that the events handled from now on are no longer its children. Does not stop the
    /// span: only the flow that started it may, because stopping sets that flow's current activity. Once per handshake.</summary>
    public static void EndHandshake(ConnectionTrace? trace, int status)
    {
        if (trace?.TakeHandshake() is not { } handshake)
        {
            return;
        }

        if (status != 0)
        {
            handshake.SetTag(SwitchboardActivityTags.StatusCodeTag, status);
        }

        if (status >= 500)
        {
            handshake.SetStatus(ActivityStatusCode.Error);
        }

        handshake.SetEndTime(DateTime.UtcNow);
    }

    /// <summary>Stops the handshake span on the flow that started it; ends it first with <paramref name="status"/> when
    /// <see cref="EndHandshake"/> has not yet run.</summary>
    public static void StopHandshake(Activity? handshake, ConnectionTrace? trace, int status)
    {
        if (handshake is null)
        {
            return;
        }

        EndHandshake(trace, status);
        handshake.Stop();
    }

    /// <summary>
    /// Starts the span of one handled event, or returns <see langword="null"/>. Its parent: the sender's span for a layer
    /// message that carries one (<see cref="LayerMessage.TraceContext"/>), else none (a trace of its own); the handshake
    /// for a client event handled while the handshake is open; none, with a link to the connection's request, for a
    /// WebSocket event after it; the current activity otherwise (an HTTP exchange's request).
    /// </summary>
    /// <param name="message">The event.</param>
    /// <param name="scope">The consumer's scope.</param>
    /// <param name="consumer">The consumer type.</param>
    /// <param name="channel">The channel a layer message arrived on (the consumer's own, or the worker's), or <see langword="null"/>.</param>
    public static Activity? StartHandle(ApplicationEvent message, ConnectionScope scope, Type consumer, string? channel) =>
        Source.HasListeners() ? StartHandleCore(Handle, message, scope, consumer, channel) : null;

    /// <summary>Starts the span of a consumer's end sequence (parented as a client event after the handshake), or
    /// returns <see langword="null"/>.</summary>
    public static Activity? StartEnd(ConnectionScope scope, Type consumer) =>
        Source.HasListeners() ? StartHandleCore(End, message: null, scope, consumer, channel: null) : null;

    /// <summary>Starts a layer call's span as a child of the current activity, or returns <see langword="null"/>.</summary>
    /// <param name="name">One of the <c>Layer*</c> names.</param>
    /// <param name="kind"><see cref="ActivityKind.Producer"/> for sends, <see cref="ActivityKind.Client"/> otherwise.</param>
    /// <param name="operation">The Channels operation: <c>send</c>, <c>group_send</c>, <c>group_add</c>, ...</param>
    /// <param name="layer">The layer: <c>in_memory</c>, <c>redis</c>.</param>
    /// <param name="destination">The channel or group, or <see langword="null"/>.</param>
    /// <param name="message">The message sent, or <see langword="null"/>.</param>
    public static Activity? StartLayerCall(string name, ActivityKind kind, string operation, string layer, string? destination, LayerMessage? message) =>
        Source.HasListeners() ? StartLayerCallCore(name, kind, operation, layer, destination, message) : null;

    /// <summary>
    /// Runs an asynchronous layer call, inside its span (a child of the current activity) while something listens, and
    /// marks the span failed when the call throws. For layers whose calls complete asynchronously: the span is current
    /// only inside the traced path's own async method, so it never leaks into the caller's flow; without a listener the
    /// call runs directly and nothing is allocated.
    /// </summary>
    public static ValueTask RunLayerCall<TState>(
        string name, ActivityKind kind, string operation, string layer, string? destination, LayerMessage? message,
        TState state, Func<TState, ValueTask> call) =>
        Source.HasListeners() ? TraceLayerCallAsync(name, kind, operation, layer, destination, message, state, call) : call(state);

    /// <summary>Records how many members a group send reached on the current span, when it is a group send's.</summary>
    public static void SetGroupMembers(int members)
    {
        if (Activity.Current is { OperationName: LayerGroupSend } activity && activity.Source == Source)
        {
            activity.SetTag(SwitchboardActivityTags.GroupMembersTag, members);
        }
    }

    /// <summary>
    /// Returns the message a layer stores for a send: <paramref name="message"/> itself, or, while propagation is on, a
    /// listener subscribes and the current span is sampled (<see cref="Activity.Recorded"/>), the message with that
    /// span's W3C context in <see cref="LayerMessage.TraceContext"/>. A message that was sent before (read-only, maybe
    /// still queued for other receivers) is never changed: a copy carries the new context. A message forwarded while
    /// nothing is written loses the context it arrived with (a copy without it), so a layer writes a context only for
    /// the send that is being traced.
    /// </summary>
    public static LayerMessage WithTraceContext(LayerMessage message, bool propagate)
    {
        var context = propagate && Source.HasListeners() ? CurrentTraceContext() : null;
        if (context is null)
        {
            return message.TraceContext is null ? message : message.Clone();
        }

        var traced = message.IsReadOnly ? message.Clone() : message;
        traced.TraceContext = context;
        return traced;
    }

    /// <summary>Marks a span failed with the exception that failed it (OpenTelemetry's <c>error.type</c> and exception event).</summary>
    public static void SetError(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(SwitchboardActivityTags.ErrorTypeTag, exception.GetType().FullName);
            activity.AddException(exception);
        }
    }

    private static async ValueTask TraceLayerCallAsync<TState>(
        string name, ActivityKind kind, string operation, string layer, string? destination, LayerMessage? message,
        TState state, Func<TState, ValueTask> call)
    {
        using var activity = StartLayerCall(name, kind, operation, layer, destination, message);
        try
        {
            await call(state).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SetError(activity, ex);
            throw;
        }
    }

    private static LayerTraceContext? CurrentTraceContext()
    {
        var current = Activity.Current;
        if (current is not { Recorded: true, IdFormat: ActivityIdFormat.W3C } || current.Id is not { } traceParent)
        {
            return null;
        }

        var traceState = current.TraceStateString;
        return new LayerTraceContext(traceParent, string.IsNullOrEmpty(traceState) ? null : traceState);
    }

    private static Activity? StartHandleCore(string name, ApplicationEvent? message, ConnectionScope scope, Type consumer, string? channel)
    {
        var trace = scope.Trace;
        var kind = ActivityKind.Internal;
        ActivityContext parent = default;
        var detach = false;
        if (message is LayerMessage layerMessage)
        {
            kind = ActivityKind.Consumer;
            if (layerMessage.TraceContext is { } context
                && ActivityContext.TryParse(context.TraceParent, context.TraceState, isRemote: true, out var sender))
            {
                parent = sender;
            }
            else
            {
                detach = true;
            }
        }
        else if (message is not null && trace?.Handshake is { } handshake)
        {
            parent = handshake.Context;
        }
        else
        {
            detach = trace?.DetachAfterHandshake == true;
        }

        // Links only to spans not already the parent: a detached span and a sender's span link to the connection.
        var links = trace is not null && trace.Connection != default && (detach || parent.IsRemote)
            ? new[] { new ActivityLink(trace.Connection) }
            : null;

        // A trace of its own: StartActivity takes the current activity as the parent unless there is none.
        var current = Activity.Current;
        if (detach)
        {
            Activity.Current = null;
        }

        var activity = Source.StartActivity(name, kind, parent, tags: null, links);
        if (activity is null)
        {
            Activity.Current = current;
            return null;
        }

        if (message is not null && message.Type.Length > 0)
        {
            activity.DisplayName = message.Type;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag(SwitchboardActivityTags.ConsumerTag, consumer.Name);
            activity.SetTag(SwitchboardActivityTags.ScopeTypeTag, scope.Type);
            if (message is not null)
            {
                activity.SetTag(SwitchboardActivityTags.MessageTypeTag, message.Type);
            }

            if (kind == ActivityKind.Consumer)
            {
                activity.SetTag(SwitchboardActivityTags.MessagingSystemTag, SwitchboardActivityTags.MessagingSystem);
                activity.SetTag(SwitchboardActivityTags.MessagingOperationNameTag, "process");
                activity.SetTag(SwitchboardActivityTags.MessagingOperationTypeTag, "process");
                if (channel is not null)
                {
                    activity.SetTag(SwitchboardActivityTags.MessagingDestinationTag, channel);
                }
            }
        }

        return activity;
    }

    private static Activity? StartLayerCallCore(string name, ActivityKind kind, string operation, string layer, string? destination, LayerMessage? message)
    {
        var activity = Source.StartActivity(name, kind);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(SwitchboardActivityTags.MessagingSystemTag, SwitchboardActivityTags.MessagingSystem);
            activity.SetTag(SwitchboardActivityTags.MessagingOperationNameTag, operation);
            if (kind == ActivityKind.Producer)
            {
                activity.SetTag(SwitchboardActivityTags.MessagingOperationTypeTag, "send");
            }

            activity.SetTag(SwitchboardActivityTags.LayerTag, layer);
            if (destination is not null)
            {
                activity.SetTag(SwitchboardActivityTags.MessagingDestinationTag, destination);
            }

            if (message is not null)
            {
                activity.SetTag(SwitchboardActivityTags.MessageTypeTag, message.Type);
            }
        }

        return activity;
    }
}
