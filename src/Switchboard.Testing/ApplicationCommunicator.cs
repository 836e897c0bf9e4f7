using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Testing;

/// <summary>
/// Runs any application in-process for a test, with no server (Channels' <c>ApplicationCommunicator</c>): the test plays the
/// server, feeding events with <see cref="SendInputAsync"/> and reading what the application sends with
/// <see cref="ReceiveOutputAsync"/>. Every wait is bounded by a timeout; an exception the application throws surfaces in
/// the next wait, and an exception a consumer's handler throws (which the consumer turns into a close with 1011 or a 500,
/// as it would on a server) is kept in <see cref="HandlerExceptions"/> and named in the error of a receive that then
/// gets something other than it expected.
/// </summary>
/// <remarks>
/// The application starts as soon as the communicator is constructed. Its scope's services are a scope of the given
/// container (so two communicators over one container share its channel layer), or of a fresh container with
/// Switchboard's defaults (the in-memory layer) when none is given. Dispose the communicator to end the application.
/// </remarks>
public class ApplicationCommunicator : IAsyncDisposable
{
    /// <summary>The default bound for waits: 5 seconds (generous, so that a loaded CI machine does not flake).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default time <see cref="ReceiveNothingAsync"/> watches for output: 100 ms.</summary>
    public static readonly TimeSpan DefaultNothingTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Channel<ApplicationEvent> _inputs = Channel.CreateUnbounded<ApplicationEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<ApplicationEvent> _outputs = Channel.CreateUnbounded<ApplicationEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _disposing = new();
    private readonly AsyncServiceScope _services;
    private readonly ServiceProvider? _ownedContainer;
    private readonly Task _application;
    private readonly List<Exception> _handlerExceptions = [];

    /// <summary>Starts an application on a scope.</summary>
    /// <param name="application">The application, for example a router or <c>Consumer.AsApplication&lt;T&gt;()</c>.</param>
    /// <param name="scope">The scope; its <see cref="ConnectionScope.Services"/> are replaced by a scope of <paramref name="services"/>.</param>
    /// <param name="services">The container, or <see langword="null"/> for a fresh one with the in-memory channel layer.</param>
    public ApplicationCommunicator(IApplication application, ConnectionScope scope, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(scope);
        if (services is null)
        {
            var collection = new ServiceCollection();
            collection.AddSwitchboard(application);
            _ownedContainer = collection.BuildServiceProvider();
            services = _ownedContainer;
        }

        _services = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        Scope = scope with { Services = _services.ServiceProvider, ConnectionClosed = _disposing.Token };
        Scope.Items[HandlerFailures.Key] = new Action<Exception>(OnHandlerFailed);
        _application = RunAsync(application);
    }

    /// <summary>Gets the scope the application runs with.</summary>
    public ConnectionScope Scope { get; }

    /// <summary>Gets the services of the application's scope, for example to reach its <see cref="IChannelLayer"/>.</summary>
    public IServiceProvider Services => _services.ServiceProvider;

    /// <summary>Gets the exceptions consumer handlers threw so far (each also logged, and answered with 1011 or 500).</summary>
    public IReadOnlyList<Exception> HandlerExceptions
    {
        get
        {
            lock (_handlerExceptions)
            {
                return [.. _handlerExceptions];
            }
        }
    }

    /// <summary>Gets a value indicating whether the application has returned or thrown.</summary>
    public bool IsCompleted => _application.IsCompleted;

    /// <summary>Queues an event for the application's next receive (Channels' <c>send_input</c>).</summary>
    /// <param name="message">The event.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    public ValueTask SendInputAsync(ApplicationEvent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _inputs.Writer.WriteAsync(message);
    }

    /// <summary>Waits for the next event the application sends (Channels' <c>receive_output</c>).</summary>
    /// <param name="timeout">How long to wait; default <see cref="DefaultTimeout"/>.</param>
    /// <returns>The event.</returns>
    /// <exception cref="TimeoutException">Nothing arrived in time.</exception>
    /// <exception cref="InvalidOperationException">The application returned without sending anything more.</exception>
    /// <remarks>If the application threw, its exception is rethrown here.</remarks>
    public async Task<ApplicationEvent> ReceiveOutputAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            while (await _outputs.Reader.WaitToReadAsync(cts.Token).ConfigureAwait(false))
            {
                if (_outputs.Reader.TryRead(out var message))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"The application sent nothing within {limit.TotalSeconds:0.###} s.");
        }

        ThrowIfFaulted();
        throw new InvalidOperationException("The application returned without sending another event.");
    }

    /// <summary>Tells whether the application sends nothing for a while (Channels' <c>receive_nothing</c>); an output that
    /// did arrive stays queued for <see cref="ReceiveOutputAsync"/>.</summary>
    /// <param name="timeout">How long to watch; default <see cref="DefaultNothingTimeout"/>.</param>
    /// <returns><see langword="true"/> when nothing arrived.</returns>
    public async Task<bool> ReceiveNothingAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultNothingTimeout);
        try
        {
            return !await _outputs.Reader.WaitToReadAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return true;
        }
    }

    /// <summary>Waits for the application to return (Channels' <c>wait</c>), rethrowing its exception.</summary>
    /// <param name="timeout">How long to wait; default <see cref="DefaultTimeout"/>.</param>
    /// <returns>A task that completes when the application has returned.</returns>
    /// <exception cref="TimeoutException">It did not return in time.</exception>
    public async Task WaitAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            await _application.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The application did not return within {limit.TotalSeconds:0.###} s.");
        }
    }

    /// <summary>Ends the application: its pending receive is cancelled and the connection's token fires; then waits for it
    /// briefly and releases the services.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!_disposing.IsCancellationRequested)
        {
            await _disposing.CancelAsync().ConfigureAwait(false);
            await _application.WaitAsync(DefaultTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _services.DisposeAsync().ConfigureAwait(false);
            if (_ownedContainer is not null)
            {
                await _ownedContainer.DisposeAsync().ConfigureAwait(false);
            }

            _disposing.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Reads the next output and checks its type, with an error that says what came instead.</summary>
    /// <typeparam name="T">The expected event type.</typeparam>
    /// <param name="expected">What the caller expected, for the error.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The event.</returns>
    private protected async Task<T> ReceiveOutputAsync<T>(string expected, TimeSpan? timeout)
        where T : ApplicationEvent
    {
        var message = await ReceiveOutputAsync(timeout).ConfigureAwait(false);
        if (message is T typed)
        {
            return typed;
        }

        // Most often the unexpected event is what a failed handler left behind: say what it threw.
        var failure = HandlerExceptions is [.., var last] ? last : null;
        throw new InvalidOperationException(
            $"Expected {expected}, but the application sent {Describe(message)}." +
            (failure is null ? "" : $" A handler threw {failure.GetType().Name}: {failure.Message}"),
            failure);
    }

    /// <summary>Describes an event for test failure messages.</summary>
    /// <param name="message">The event.</param>
    /// <returns>A short description.</returns>
    private protected static string Describe(ApplicationEvent message) => message switch
    {
        WebSocketCloseEvent close => $"'{close.Type}' (code {close.Code})",
        WebSocketSendEvent send => send.IsText ? $"a text message \"{Truncate(send.Text!)}\"" : $"a binary message of {send.Data.Length} bytes",
        _ => $"'{message.Type}'",
    };

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "...";

    private async Task RunAsync(IApplication application)
    {
        try
        {
            // Off the test's thread, as a server would run it.
            await Task.Run(() => application.InvokeAsync(Scope, ReceiveInputAsync, SendOutputAsync)).ConfigureAwait(false);
        }
        finally
        {
            _outputs.Writer.TryComplete();
        }
    }

    private void OnHandlerFailed(Exception exception)
    {
        lock (_handlerExceptions)
        {
            _handlerExceptions.Add(exception);
        }
    }

    private void ThrowIfFaulted()
    {
        if (_application.IsFaulted)
        {
            ExceptionDispatchInfo.Throw(_application.Exception!.InnerException!);
        }
    }

    private async ValueTask<ApplicationEvent> ReceiveInputAsync(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return await _inputs.Reader.ReadAsync(_disposing.Token).ConfigureAwait(false);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        return await _inputs.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
    }

    private ValueTask SendOutputAsync(ApplicationEvent message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _outputs.Writer.WriteAsync(message, cancellationToken);
    }
}
