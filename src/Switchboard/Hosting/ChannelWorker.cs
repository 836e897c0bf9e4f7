using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Hosting;

/// <summary>
/// Runs the root application for <c>channel</c> scopes, <see cref="WorkerOptions.Concurrency"/> instances per named
/// channel (one by default, which keeps the channel's order), fed from the channel layer (Channels' worker server behind
/// <c>runworker</c>). An instance that fails is logged and replaced for the next message.
/// </summary>
/// <remarks>On stop, receiving ends at once but a message in hand is finished: handlers see their token cancelled only
/// when the host's shutdown timeout runs out. Each loop records the message it holds in <see cref="WorkerActivity"/>
/// (for the workers health check) and counts it handled or failed when it asks for the next one.</remarks>
internal sealed partial class ChannelWorker(
    SwitchboardApplication application,
    IChannelLayer layer,
    IServiceScopeFactory scopes,
    IOptions<WorkerOptions> options,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory,
    WorkerActivity activity,
    WorkerMetrics metrics) : BackgroundService
{
    // Validated when built (WorkerOptionsValidator, on start): names are normal channel names, Concurrency at least 1.
    private readonly WorkerOptions _options = options.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger(SwitchboardDiagnostics.WorkersLogCategory);

    // Cancelled when the host gives up waiting (StopAsync's token), not when it asks to stop: the message in hand finishes.
    private readonly CancellationTokenSource _abandon = new();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        activity.Started = true;
        return Task.WhenAll(_options.Channels.SelectMany(channel =>
            Enumerable.Range(0, _options.Concurrency).Select(_ => RunChannelAsync(channel, stoppingToken))));
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _abandon))
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _abandon.Dispose();
        base.Dispose();
    }

    private async Task RunChannelAsync(string channel, CancellationToken stoppingToken)
    {
        var slot = activity.Register(channel);
        try
        {
            await RunInstancesAsync(slot, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            activity.Unregister(slot);
        }
    }

    private async Task RunInstancesAsync(WorkerSlot slot, CancellationToken stoppingToken)
    {
        var channel = slot.Channel;
        Log.WorkerStarted(_logger, channel);

        // A consumer catches its handler's exception (and stops); it reports it here, so the message counts as failed.
        Action<Exception> onHandlerFailed = _ => slot.Failed = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            var received = 0;
            await using var services = scopes.CreateAsyncScope();
            var scope = new ConnectionScope(ScopeTypes.Channel)
            {
                Channel = channel,
                Path = "",
                RawPath = "",
                Services = services.ServiceProvider,
                ConnectionClosed = _abandon.Token,
            };
            scope.Items[HandlerFailures.Key] = onHandlerFailed;

            if (!application.Application.CanHandle(scope))
            {
                Log.NoApplication(_logger, channel);
                return;
            }

            try
            {
                await application.Application.InvokeAsync(scope, ReceiveAsync, SendAsync).ConfigureAwait(false);
                EndMessage(slot);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                EndMessage(slot);
                break;
            }
            catch (Exception ex)
            {
                slot.Failed = true;
                EndMessage(slot);
                Log.InstanceFailed(_logger, channel, ex);
            }

            if (received == 0 && !stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(_options.RestartDelay, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            async ValueTask<ApplicationEvent> ReceiveAsync(CancellationToken cancellationToken)
            {
                // Asking for the next message means the one in hand is done.
                EndMessage(slot);
                using var linked = cancellationToken.CanBeCanceled
                    ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stoppingToken)
                    : null;
                var message = await layer.ReceiveAsync(channel, linked?.Token ?? stoppingToken).ConfigureAwait(false);
                received++;
                slot.Take(Math.Max(1, timeProvider.GetTimestamp()));
                return message;
            }
        }

        Log.WorkerStopped(_logger, channel);
    }

    /// <summary>Counts the message in hand, if any, as handled or failed, and marks the loop idle.</summary>
    private void EndMessage(WorkerSlot slot)
    {
        if (slot.BusySince == 0)
        {
            return;
        }

        if (slot.Failed)
        {
            metrics.Failed(slot.Channel);
        }
        else
        {
            metrics.Handled(slot.Channel);
        }

        slot.Release();
    }

    private static ValueTask SendAsync(ApplicationEvent message, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(
            $"A worker's channel scope has no client to send '{message.Type}' to; send through the channel layer instead.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 4000, Level = LogLevel.Information, EventName = "WorkerStarted", Message = "Worker listening on channel {Channel}.")]
        public static partial void WorkerStarted(ILogger logger, string channel);

        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, EventName = "WorkerStopped", Message = "Worker on channel {Channel} stopped.")]
        public static partial void WorkerStopped(ILogger logger, string channel);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Error, EventName = "WorkerInstanceFailed",
            Message = "The application instance for channel {Channel} failed; a new instance takes the next message.")]
        public static partial void InstanceFailed(ILogger logger, string channel, Exception exception);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Error, EventName = "WorkerNoApplication",
            Message = "No application handles channel {Channel}: route it with ProtocolTypeRouter[\"channel\"] = new ChannelNameRouter {{ [\"{Channel}\"] = ... }}.")]
        public static partial void NoApplication(ILogger logger, string channel);
    }
}
