using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Internal;

namespace Switchboard;

/// <summary>
/// The base of every consumer (Channels' <c>AsyncConsumer</c>): one instance per connection, built through dependency
/// injection, that handles the connection's events one at a time, in order, and receives channel-layer messages on
/// its own channel name, dispatched by <c>type</c> to a handler method (<c>chat.message</c> → <c>ChatMessageAsync</c>).
/// </summary>
/// <remarks>
/// <para>Events from the client and messages from the channel layer are handled by one instance, never concurrently:
/// a handler runs to completion before the next event starts.</para>
/// <para><b>One end sequence.</b> However the consumer ends (the client closes, the server closes or shuts down,
/// <see cref="Stop"/>, a handler throws, messages for it were dropped, the layer fails), the base class runs the same
/// steps, each exactly once, in this order: (1) it stops taking layer messages; (2) <see cref="OnStopRequestedAsync"/>
/// ends the exchange if it is still open (a WebSocket consumer closes the socket, an HTTP consumer completes its
/// response); (3) it leaves every group it joined (declared or joined by <see cref="GroupAddAsync"/>), once each;
/// (4) <see cref="OnStoppedAsync"/> runs, where protocol consumers call the user's disconnect hook, with the channel
/// layer still usable. An exception in a step is logged and the next step still runs.</para>
/// <para>Use <see cref="AsApplication{TConsumer}"/> to put a consumer in a router (Channels' <c>as_asgi()</c>).</para>
/// </remarks>
public abstract partial class Consumer
{
    private readonly DispatchGate _gate = new();
    private HashSet<string>? _groups;
    private MessageHandlerTable? _handlers;
    private SendDelegate? _send;
    private string? _channelName;
    private CancellationTokenSource? _layerListening;
    private Task? _listening;
    private bool _listeningEnded;
    private ExecutionContext? _runContext;
    private volatile bool _stopped;
    private bool _stopRequestHandled;
    private ConnectionScope? _scope;
    private ILogger? _logger;
    private ILoggerFactory? _loggerFactory;
    private ILogger? _frameworkLogger;
    private ConsumerMetrics? _metrics;
    private IChannelLayer? _layer;
    private IServiceProvider? _eventServices;

    /// <summary>Gets the scope of the connection this instance serves.</summary>
    /// <exception cref="InvalidOperationException">Read from a constructor, before the consumer runs.</exception>
    protected ConnectionScope Scope => _scope ?? throw new InvalidOperationException("The scope is set when the consumer starts; it is not available in the constructor.");

    /// <summary>Gets the channel layer (Channels' <c>self.channel_layer</c>): the registered <see cref="IChannelLayer"/>, or
    /// the keyed one of <see cref="ChannelLayerAlias"/>. <c>AddSwitchboard(...)</c> registers the in-memory layer unless
    /// another is registered, so there is always one in a Switchboard host.</summary>
    /// <exception cref="InvalidOperationException">No channel layer is registered (a consumer run outside a Switchboard
    /// host, for example by a hand-made service provider); the message says how to register one.</exception>
    protected IChannelLayer ChannelLayer => _layer ?? throw NoLayer("use the channel layer");

    /// <summary>Gets this instance's own process-specific channel name (Channels' <c>self.channel_name</c>); anything sent
    /// to it reaches this instance. <see langword="null"/> without a layer, and for worker (<c>channel</c>) scopes.</summary>
    /// <remarks>The instance receives on its channel from the first time the name is read (or a group is joined): nothing
    /// can be sent to a name that nobody knows, so a consumer that never uses the layer holds no receive on it.</remarks>
    protected string? ChannelName
    {
        get
        {
            StartListening();
            return _channelName;
        }
    }

    /// <summary>Gets the key of the channel layer service to use (Channels' <c>channel_layer_alias</c>); <see langword="null"/>
    /// for the default <see cref="IChannelLayer"/>. A non-null alias resolves a keyed service.</summary>
    protected virtual string? ChannelLayerAlias => null;

    /// <summary>
    /// Gets the services to resolve from in a handler: the current event's own scope when <see cref="ScopePerEvent"/>
    /// is on, otherwise the connection's (<see cref="ConnectionScope.Services"/>, the scope the constructor's services come
    /// from, which lives as long as the connection).
    /// </summary>
    protected IServiceProvider Services => _eventServices ?? Scope.Services;

    /// <summary>
    /// Gets a value indicating whether each handled event gets a service scope of its own, disposed when the handler
    /// returns (Channels' <c>database_sync_to_async</c>, which closes stale database connections around each call). Turn
    /// it on for consumers that use a <c>DbContext</c> or other unit-of-work services, and resolve them from
    /// <see cref="Services"/> in the handler rather than in the constructor: a constructor-injected scoped service lives
    /// as long as the socket. Default <see langword="false"/>.
    /// </summary>
    protected virtual bool ScopePerEvent => false;

    /// <summary>Gets a logger named after the consumer type.</summary>
    protected ILogger Logger => _logger ?? NullLogger.Instance;

    /// <summary>Gets the logger of Switchboard's own consumer events (category <c>Switchboard.Consumers</c>), made on first
    /// use: most connections never log one, and the application's messages stay in its own category.</summary>
    private protected ILogger FrameworkLogger =>
        _frameworkLogger ??= _loggerFactory?.CreateLogger(SwitchboardDiagnostics.ConsumersLogCategory) ?? NullLogger.Instance;

    /// <summary>Gets a value indicating whether the consumer has stopped, or is stopping after the current handler.</summary>
    protected bool IsStopped => _stopped;

    /// <summary>Wraps a consumer type as an application for routers (Channels' <c>Consumer.as_asgi()</c>): each connection
    /// gets a new <typeparamref name="TConsumer"/> built from the connection's services, so constructors can take any
    /// registered service, scoped ones included.</summary>
    /// <typeparam name="TConsumer">The consumer type.</typeparam>
    /// <returns>The application.</returns>
    /// <exception cref="InvalidOperationException">A method of the consumer is meant as a layer-message handler (it takes a
    /// <see cref="LayerMessage"/>, or is marked <see cref="MessageHandlerAttribute"/>) but cannot be one: reported here, when
    /// the routes are built at startup, rather than at the first message.</exception>
    public static IApplication AsApplication<TConsumer>()
        where TConsumer : Consumer
    {
        MessageHandlerTable.For(typeof(TConsumer));
        return ConsumerApplication<TConsumer>.Instance;
    }

    /// <summary>Ends the consumer after the current handler (Channels' <c>raise StopConsumer()</c>). Layer messages that
    /// arrive afterwards are dropped; <see cref="OnStoppedAsync"/> still runs. When the consumer is waiting for its client,
    /// it ends at the server's next event, which <see cref="OnStopRequestedAsync"/> brings about (a WebSocket consumer
    /// closes the socket, so its disconnect follows; an HTTP consumer completes its response, after which the server
    /// sends <c>http.disconnect</c>).</summary>
    protected void Stop() => _stopped = true;

    /// <summary>Sends an event to the server (Channels' <c>self.send(...)</c> at the ASGI level).</summary>
    /// <param name="message">The event.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the server has taken the event.</returns>
    protected ValueTask SendEventAsync(ApplicationEvent message, CancellationToken cancellationToken = default)
    {
        if (_send is null)
        {
            throw new InvalidOperationException("A consumer can send only while it runs.");
        }

        return _send(message, cancellationToken);
    }

    /// <summary>Adds this consumer's channel to a group and remembers it, so that the membership is removed when the
    /// consumer ends, however it ends (Channels' <c>group_add(group, self.channel_name)</c>).</summary>
    /// <param name="group">The group name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the membership is stored.</returns>
    protected async ValueTask GroupAddAsync(string group, CancellationToken cancellationToken = default)
    {
        var (layer, channel) = RequireLayer("join a group");
        await layer.GroupAddAsync(group, channel, cancellationToken).ConfigureAwait(false);
        (_groups ??= new HashSet<string>(StringComparer.Ordinal)).Add(group);
    }

    /// <summary>Removes this consumer's channel from a group (Channels' <c>group_discard(group, self.channel_name)</c>).</summary>
    /// <param name="group">The group name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the membership is gone.</returns>
    protected async ValueTask GroupDiscardAsync(string group, CancellationToken cancellationToken = default)
    {
        var (layer, channel) = RequireLayer("leave a group");
        _groups?.Remove(group);
        await layer.GroupDiscardAsync(group, channel, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a message to every member of a group, this consumer included when it is a member (Channels' <c>group_send</c>).</summary>
    /// <param name="group">The group name.</param>
    /// <param name="message">The message; its <c>type</c> names the members' handler.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the layer has the message.</returns>
    protected ValueTask GroupSendAsync(string group, LayerMessage message, CancellationToken cancellationToken = default) =>
        (_layer ?? throw NoLayer("send to a group")).GroupSendAsync(group, message, cancellationToken);

    /// <summary>
    /// Handles one event; called one event at a time, in order. The base handles channel-layer messages by finding the
    /// handler for their <c>type</c>; protocol consumers override this for their protocol's events and call the base
    /// for everything else.
    /// </summary>
    /// <param name="message">The event.</param>
    /// <param name="cancellationToken">Fires when the connection goes away.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    protected virtual ValueTask DispatchAsync(ApplicationEvent message, CancellationToken cancellationToken)
    {
        if (message is LayerMessage layerMessage)
        {
            if (layerMessage.Type == DroppedMessages.Type)
            {
                return OnMessagesDroppedAsync(
                    layerMessage.GetInt64(DroppedMessages.CountKey), layerMessage.GetString(DroppedMessages.ReasonKey), cancellationToken);
            }

            _handlers ??= MessageHandlerTable.For(GetType());
            var handler = _handlers.Find(layerMessage.Type) ?? throw _handlers.MissingHandler(layerMessage.Type);
            return handler(this, layerMessage, cancellationToken);
        }

        throw new InvalidOperationException(
            $"{GetType().Name} does not handle '{message.Type}' events. Derive from the consumer for the protocol " +
            $"(WebSocketConsumer, HttpConsumer) or override {nameof(DispatchAsync)}.");
    }

    /// <summary>
    /// Called after a handler threw (the exception is already logged). The default stops the consumer; protocol
    /// consumers also close the connection (WebSocket: 1011; HTTP: 500 when no response started).
    /// </summary>
    /// <param name="exception">What the handler threw.</param>
    /// <returns>A task that completes when the error is handled.</returns>
    protected virtual ValueTask OnErrorAsync(Exception exception)
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Called when the channel layer dropped messages meant for this consumer (Switchboard's rule that loss is never
    /// silent: its inbox was over <see cref="ChannelLayerOptions.SpecificChannelMaxBytes"/>, or messages expired unread),
    /// in order, at the point of the stream where they were lost. The default logs and stops the consumer;
    /// <see cref="WebSocketConsumer"/> closes the socket with 1008 so that the client reconnects and resyncs. Override it
    /// to recover instead (for example, reload state and carry on).
    /// </summary>
    /// <param name="count">How many messages were lost at this point.</param>
    /// <param name="reason">Why the first was lost: <see cref="DroppedMessages.Budget"/> or <see cref="DroppedMessages.Expired"/>.</param>
    /// <param name="cancellationToken">Fires when the connection goes away.</param>
    /// <returns>A task that completes when the loss is handled.</returns>
    protected virtual ValueTask OnMessagesDroppedAsync(long count, string reason, CancellationToken cancellationToken)
    {
        Log.MessagesDropped(FrameworkLogger, GetType().Name, count, reason);
        Stop();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Step 2 of the end sequence: called once, under the gate, right after the handler that stopped the consumer
    /// (<see cref="Stop"/>, an error, a disconnect) returns, or when the consumer ends otherwise. Protocol consumers end
    /// the exchange here so that the server's last event follows: a WebSocket consumer closes the socket, an HTTP
    /// consumer completes its response. The default does nothing.
    /// </summary>
    /// <returns>A task that completes when the exchange is ending.</returns>
    protected virtual ValueTask OnStopRequestedAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Step 4 of the end sequence: called once when the consumer ends, however it ends, after it has left its groups.
    /// Protocol consumers call the user's disconnect hook here. Always runs; an exception here is logged.
    /// </summary>
    /// <returns>A task that completes when clean-up is done.</returns>
    protected virtual ValueTask OnStoppedAsync() => ValueTask.CompletedTask;

    /// <summary>Runs this instance for one connection; called once by <see cref="AsApplication{TConsumer}"/>.</summary>
    internal async Task RunAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        if (_scope is not null)
        {
            throw new InvalidOperationException($"A {GetType().Name} instance serves one connection; make a new one per connection.");
        }

        _scope = scope;
        _send = send;
        _loggerFactory = scope.Services.GetService<ILoggerFactory>();
        _metrics = scope.Services.GetService<ConsumerMetrics>();
        _logger = _loggerFactory?.CreateLogger(GetType());
        _layer = ChannelLayerAlias is { } alias
            ? scope.Services.GetRequiredKeyedService<IChannelLayer>(alias)
            : scope.Services.GetService<IChannelLayer>();

        try
        {
            // Workers' "channel" scopes receive from the layer already; every other scope gets its own channel name.
            if (_layer is not null && scope.Type != ScopeTypes.Channel)
            {
                try
                {
                    _channelName = await _layer.NewChannelAsync(cancellationToken: scope.ConnectionClosed).ConfigureAwait(false);
                    _runContext = ExecutionContext.Capture();
                }
                catch (OperationCanceledException) when (scope.ConnectionClosed.IsCancellationRequested)
                {
                    // The client left before the consumer started: there is nothing to serve or clean up.
                    return;
                }
            }

            while (!_stopped)
            {
                // No token: the server ends every scope with its last event (websocket.disconnect, http.disconnect),
                // and a worker's receive ends with the worker. Cancelling a WebSocket receive would abort the socket.
                var message = await receive(CancellationToken.None).ConfigureAwait(false);
                await DispatchInOrderAsync(message).ConfigureAwait(false);
            }
        }
        finally
        {
            await EndAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts the loop that receives on <see cref="ChannelName"/>, once, when the name is first handed out. It saves an
    /// idle connection whose consumer never uses the layer (an echo) the loop, the layer's queue and the waiting receive,
    /// about a kilobyte. Called from handlers or from the user's own tasks, hence the lock.
    /// </summary>
    private void StartListening()
    {
        if (_channelName is null || Volatile.Read(ref _layerListening) is not null)
        {
            return;
        }

        // The gate's monitor, which the gate itself takes only to queue a waiter: neither use ever nests in the other.
        lock (_gate)
        {
            if (_layerListening is not null || _listeningEnded)
            {
                return;
            }

            _layerListening = new CancellationTokenSource();
            if (_runContext is { } context)
            {
                // In the consumer's own context (as if RunAsync had started it), not in that of the handler that read the name.
                ExecutionContext.Run(context, static state => ((Consumer)state!).BeginListening(), this);
            }
            else
            {
                BeginListening();
            }
        }
    }

    private void BeginListening() => _listening = ListenOnLayerAsync(_layer!, _channelName!, _layerListening!.Token);

    private (IChannelLayer Layer, string Channel) RequireLayer(string action) =>
        (_layer ?? throw NoLayer(action), ChannelName ?? throw new InvalidOperationException(
            $"{GetType().Name} cannot {action}: a worker's channel scope has no channel name of its own."));

    private InvalidOperationException NoLayer(string action) => new(
        $"{GetType().Name} cannot {action}: no channel layer is registered (AddSwitchboard(...) adds the in-memory layer unless another is registered).");

    /// <summary>Runs one event under the instance's gate, so that client events and layer messages never overlap.</summary>
    /// <param name="message">The event.</param>
    /// <param name="fromLayer">Whether it is a layer message from the consumer's own channel (timed only on request:
    /// <see cref="SwitchboardMetricsOptions.RecordLayerMessageHandlerDuration"/>).</param>
    private async ValueTask DispatchInOrderAsync(ApplicationEvent message, bool fromLayer = false)
    {
        await _gate.EnterAsync().ConfigureAwait(false);
        Activity? activity = null;
        var started = 0L;
        try
        {
            if (_stopped)
            {
                Log.EventAfterStop(FrameworkLogger, message.Type);
                return;
            }

            // Started under the gate: the span measures this handler, not the wait for the one before it.
            activity = SwitchboardActivities.StartHandle(message, Scope, GetType(), _channelName ?? Scope.Channel);
            started = (fromLayer ? _metrics?.StartLayerMessage() : _metrics?.Start()) ?? 0;
            if (ScopePerEvent)
            {
                await DispatchInEventScopeAsync(message).ConfigureAwait(false);
            }
            else
            {
                await DispatchAsync(message, Scope.ConnectionClosed).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (Scope.ConnectionClosed.IsCancellationRequested)
        {
            // The client went away while the handler waited on the connection's token: an ordinary end, not a failure.
            Log.HandlerCanceled(FrameworkLogger, GetType().Name, message.Type);
            Stop();
        }
        catch (Exception ex)
        {
            SwitchboardActivities.SetError(activity, ex);
            Log.HandlerFailed(FrameworkLogger, GetType().Name, message.Type, Scope, ex);
            HandlerFailures.Report(Scope, ex);
            try
            {
                await OnErrorAsync(ex).ConfigureAwait(false);
            }
            catch (Exception inner)
            {
                Log.ErrorHandlerFailed(FrameworkLogger, GetType().Name, inner);
            }
            finally
            {
                Stop();
            }
        }
        finally
        {
            _metrics?.Handled(started, message.Type);
            await EndExchangeIfStoppedAsync().ConfigureAwait(false);
            activity?.Dispose();
            _gate.Exit();
        }
    }

    // Its own method: a lambda capturing the message in DispatchInOrderAsync would allocate its closure on every event,
    // scope per event or not (a closure is created where its scope begins).
    private ValueTask DispatchInEventScopeAsync(ApplicationEvent message) => InEventScopeAsync(() => DispatchAsync(message, Scope.ConnectionClosed));

    /// <summary>Runs a handler with a service scope of its own (<see cref="ScopePerEvent"/>), disposed when it returns.</summary>
    private async ValueTask InEventScopeAsync(Func<ValueTask> handler)
    {
        var eventScope = Scope.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        await using (eventScope.ConfigureAwait(false))
        {
            _eventServices = eventScope.ServiceProvider;
            try
            {
                await handler().ConfigureAwait(false);
            }
            finally
            {
                _eventServices = null;
            }
        }
    }

    /// <summary>Runs <see cref="OnStopRequestedAsync"/> once the consumer has stopped; called under the gate, after every
    /// event (so the check is outside the async method: no state machine runs while the consumer has not stopped).</summary>
    private ValueTask EndExchangeIfStoppedAsync() => !_stopped || _stopRequestHandled ? default : EndExchangeAsync();

    private async ValueTask EndExchangeAsync()
    {
        _stopRequestHandled = true;
        try
        {
            await OnStopRequestedAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.StopHandlerFailed(FrameworkLogger, GetType().Name, ex);
        }
    }

    private async Task ListenOnLayerAsync(IChannelLayer layer, string channel, CancellationToken cancellationToken)
    {
        // Let RunAsync go on to its first receive before this loop takes a thread.
        await Task.Yield();

        // A backlog (a burst of group sends) is handed to the server as one batch of sends, ended before every wait.
        var batching = Scope.SendBatching;
        var batched = false;

        // The end of the connection cancels this loop's receive: where the layer can, it ends without a throw. Such a
        // layer also hands over a backlog a few dozen messages per receive (one lock of the channel for the lot, not one
        // each); the list is made when the first receive finds a backlog, so an idle consumer holds none.
        var quiet = layer as IQuietReceive;
        List<LayerMessage>? following = null;
        var nextFollowing = 0;
        try
        {
            while (!_stopped)
            {
                LayerMessage? message;
                if (nextFollowing < following?.Count)
                {
                    message = following[nextFollowing++];
                }
                else
                {
                    following?.Clear();
                    nextFollowing = 0;
                    try
                    {
                        var next = quiet is not null ? quiet.ReceiveOrNullAsync(channel, following, cancellationToken) : ReceiveThrowingAsync(layer, channel, cancellationToken);
                        if (!next.IsCompleted)
                        {
                            if (batched)
                            {
                                batched = EndBatch(batching!);
                            }
                        }
                        else if (quiet is not null)
                        {
                            following ??= new List<LayerMessage>(IQuietReceive.MaxFollowing);
                        }

                        message = await next.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception ex)
                    {
                        // The layer failed (a network layer lost its server): the consumer can no longer get its messages.
                        Log.LayerReceiveFailed(FrameworkLogger, GetType().Name, channel, ex);
                        await FailFromLayerAsync(ex).ConfigureAwait(false);
                        return;
                    }

                    if (message is null)
                    {
                        // The quiet receive's cancellation.
                        return;
                    }
                }

                if (batching is not null && !batched)
                {
                    batching.BeginBatch();
                    batched = true;
                }

                var dispatch = DispatchInOrderAsync(message, fromLayer: true);
                if (batched && !dispatch.IsCompleted)
                {
                    batched = EndBatch(batching!);
                }

                await dispatch.ConfigureAwait(false);
            }
        }
        finally
        {
            if (batched)
            {
                EndBatch(batching!);
            }
        }
    }

    private static ValueTask<LayerMessage?> ReceiveThrowingAsync(IChannelLayer layer, string channel, CancellationToken cancellationToken) =>
        layer.ReceiveAsync(channel, cancellationToken)!;

    private static bool EndBatch(ISendBatching batching)
    {
        batching.EndBatch();
        return false;
    }

    private async ValueTask FailFromLayerAsync(Exception exception)
    {
        await _gate.EnterAsync().ConfigureAwait(false);
        try
        {
            if (!_stopped)
            {
                await OnErrorAsync(exception).ConfigureAwait(false);
            }
        }
        catch (Exception inner)
        {
            Log.ErrorHandlerFailed(FrameworkLogger, GetType().Name, inner);
        }
        finally
        {
            Stop();
            await EndExchangeIfStoppedAsync().ConfigureAwait(false);
            _gate.Exit();
        }
    }

    /// <summary>The end sequence (see the class remarks): each step once, whatever ended the consumer.</summary>
    private async ValueTask EndAsync()
    {
        _stopped = true;

        // 1. No more layer messages: the listening loop ends before anything is torn down (and none starts after).
        CancellationTokenSource? layerListening;
        Task? listening;
        lock (_gate)
        {
            _listeningEnded = true;
            layerListening = _layerListening;
            listening = _listening;
        }

        if (layerListening is not null && listening is not null)
        {
            await layerListening.CancelAsync().ConfigureAwait(false);
            await listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            layerListening.Dispose();
        }

        // 2. End the exchange if the consumer ended with it still open.
        await _gate.EnterAsync().ConfigureAwait(false);
        try
        {
            await EndExchangeIfStoppedAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Exit();
        }

        // 3. Leave every group joined, declared or not (one span for steps 3 and 4, when something listens).
        using var activity = SwitchboardActivities.StartEnd(Scope, GetType());
        await LeaveGroupsAsync().ConfigureAwait(false);

        // 4. The disconnect hook, with the layer still usable (and, like every handler, its own scope if asked for).
        await _gate.EnterAsync().ConfigureAwait(false);
        try
        {
            if (ScopePerEvent)
            {
                await InEventScopeAsync(OnStoppedAsync).ConfigureAwait(false);
            }
            else
            {
                await OnStoppedAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            SwitchboardActivities.SetError(activity, ex);
            Log.StopHandlerFailed(FrameworkLogger, GetType().Name, ex);
        }
        finally
        {
            _gate.Exit();
        }
    }

    private async ValueTask LeaveGroupsAsync()
    {
        if (_layer is null || _channelName is null || _groups is null || _groups.Count == 0)
        {
            return;
        }

        foreach (var group in _groups)
        {
            try
            {
                // Not the connection's token: it has fired already, and the memberships must go regardless.
                await _layer.GroupDiscardAsync(group, _channelName, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.GroupDiscardFailed(FrameworkLogger, group, _channelName, ex);
            }
        }

        _groups.Clear();
    }
}
