using System.Text;
using Microsoft.Extensions.Options;
using Switchboard;

namespace Chat.Consumers;

/// <summary>
/// <c>GET /events/notifications</c>: server-sent events (Channels' <c>AsyncHttpConsumer</c> streaming). Joins group
/// <c>notifications</c>; each <c>notify</c> payload goes out as one <c>data:</c> event, and a <c>: heartbeat</c> comment
/// every <see cref="ChatOptions.HeartbeatInterval"/> keeps proxies from closing an idle stream. A client that leaves
/// leaves the group with its connection.
/// </summary>
public sealed class EventStreamConsumer(IOptions<ChatOptions> options, TimeProvider timeProvider, ILogger<EventStreamConsumer> logger) : HttpConsumer, IDisposable
{
    private static readonly byte[] s_heartbeat = ": heartbeat\n\n"u8.ToArray();

    private readonly CancellationTokenSource _over = new();

    protected override async ValueTask HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsGet(Scope.Method!))
        {
            await SendResponseAsync(405, "Use GET /events/notifications.", cancellationToken: cancellationToken);
            return;
        }

        await GroupAddAsync(NotifyConsumer.Group, cancellationToken);
        await SendHeadersAsync(
            200, [new("content-type", "text/event-stream"), new("cache-control", "no-cache"), new("x-accel-buffering", "no")], cancellationToken);

        // A first comment sends the headers now, so the client knows the stream is open.
        await SendBodyAsync(": connected\n\n"u8.ToArray(), moreBody: true, cancellationToken);
        _ = HeartbeatAsync(ChannelLayer!, ChannelName!);
    }

    /// <summary>Handles <c>notify</c>: one event, each line of the payload a <c>data:</c> line.</summary>
    public ValueTask NotifyAsync(LayerMessage message, CancellationToken cancellationToken)
    {
        var frame = new StringBuilder();
        foreach (var line in message.GetString("payload").Split('\n'))
        {
            frame.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        }

        return SendBodyAsync(Encoding.UTF8.GetBytes(frame.Append('\n').ToString()), moreBody: true, cancellationToken);
    }

    /// <summary>Handles <c>sse.heartbeat</c>, sent by this consumer to itself, in order with the events.</summary>
    public ValueTask SseHeartbeatAsync(LayerMessage message, CancellationToken cancellationToken) =>
        SendBodyAsync(s_heartbeat, moreBody: true, cancellationToken);

    protected override ValueTask OnDisconnectAsync(CancellationToken cancellationToken)
    {
        _over.Cancel();
        return default;
    }

    public void Dispose() => _over.Dispose();

    private async Task HeartbeatAsync(IChannelLayer layer, string channel)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, timeProvider);
            while (await timer.WaitForNextTickAsync(_over.Token))
            {
                await layer.SendAsync(channel, new LayerMessage("sse.heartbeat"), _over.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The stream is over.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Server-sent events heartbeat stopped for {Channel}.", channel);
        }
    }
}
