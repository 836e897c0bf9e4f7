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
/// when the host's shutdown timeout runs out.</remarks>
internal sealed partial class ChannelWorker(
    SwitchboardApplication application,
    IChannelLayer layer,
    IServiceScopeFactory scopes,
    IOptions<WorkerOptions> options,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger(SwitchboardDiagnostics.WorkersLogCategory);
    private readonly WorkerOptions _options = options.Value;

    // Cancelled when the host gives up waiting (StopAsync's token), not when it asks to stop: the message in hand finishes.
    private readonly CancellationTokenSource _abandon = new();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var channel in _options.Channels)
        {
            if (!ChannelNames.IsValidChannelName(channel) || ChannelNames.IsProcessSpecific(channel))
            {
                throw new InvalidOperationException($"A worker listens on normal channel names such as 'thumbnails'; '{channel}' is not one.");
            }
        }

        if (_options.Concurrency < 1)
        {
            throw new InvalidOperationException($"WorkerOptions.Concurrency must be at least 1; it is {_options.Concurrency}.");
        }

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
        Log.WorkerStarted(_logger, channel);
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

            if (!application.Application.CanHandle(scope))
            {
                Log.NoApplication(_logger, channel);
                return;
            }

            try
            {
                await application.Application.InvokeAsync(scope, ReceiveAsync, SendAsync).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.InstanceFailed(_logger, channel, ex);
            }

            if (received == 0 && !stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(_options.RestartDelay, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            async ValueTask<ApplicationEvent> ReceiveAsync(CancellationToken cancellationToken)
            {
                using var linked = cancellationToken.CanBeCanceled
                    ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stoppingToken)
                    : null;
                var message = await layer.ReceiveAsync(channel, linked?.Token ?? stoppingToken).ConfigureAwait(false);
                received++;
                return message;
            }
        }

        Log.WorkerStopped(_logger, channel);
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
