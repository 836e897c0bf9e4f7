using System.Text;
using Microsoft.Extensions.Options;
using Switchboard;

namespace Chat.Consumers;

/// <summary>
/// <c>GET /poll/notifications</c>: a long-poll (Channels' <c>AsyncHttpConsumer</c> long-polling). The request joins group
/// <c>notifications</c> and waits: the next <c>notify</c> payload is the answer (200, <c>application/json</c>), or 204
/// after <see cref="ChatOptions.PollTimeout"/>. A client that leaves early leaves the group with its connection.
/// </summary>
public sealed class LongPollConsumer(IOptions<ChatOptions> options, TimeProvider timeProvider, ILogger<LongPollConsumer> logger) : HttpConsumer, IDisposable
{
    private readonly CancellationTokenSource _over = new();

    protected override async ValueTask HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsGet(Scope.Method!))
        {
            await SendResponseAsync(405, "Use GET /poll/notifications.", cancellationToken: cancellationToken);
            return;
        }

        await GroupAddAsync(NotifyConsumer.Group, cancellationToken);
        _ = ExpireAsync(ChannelLayer!, ChannelName!);
    }

    /// <summary>Handles <c>notify</c>: the payload is the answer.</summary>
    public ValueTask NotifyAsync(LayerMessage message, CancellationToken cancellationToken) =>
        SendResponseAsync(200, Encoding.UTF8.GetBytes(message.GetString("payload")), [new("content-type", "application/json")], cancellationToken);

    /// <summary>Handles <c>poll.timeout</c>, sent by this consumer to itself: nothing came, 204.</summary>
    public ValueTask PollTimeoutAsync(LayerMessage message, CancellationToken cancellationToken) =>
        SendResponseAsync(204, ReadOnlyMemory<byte>.Empty, cancellationToken: cancellationToken);

    protected override ValueTask OnDisconnectAsync(CancellationToken cancellationToken)
    {
        _over.Cancel();
        return default;
    }

    public void Dispose() => _over.Dispose();

    /// <summary>The timeout goes through the consumer's own channel, so it is handled in order with the notifications.</summary>
    private async Task ExpireAsync(IChannelLayer layer, string channel)
    {
        try
        {
            await Task.Delay(options.Value.PollTimeout, timeProvider, _over.Token);
            await layer.SendAsync(channel, new LayerMessage("poll.timeout"), _over.Token);
        }
        catch (OperationCanceledException)
        {
            // Answered or gone before the timeout.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Long-poll timeout could not be delivered to {Channel}.", channel);
        }
    }
}
