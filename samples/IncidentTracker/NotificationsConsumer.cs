using System.Buffers;
using System.Text.Json;
using Switchboard;

namespace IncidentTracker;

/// <summary><c>ws /ws/notifications/</c>: listen-only; every <c>post_save</c>, <c>post_delete</c> and <c>alert</c> of the
/// <c>notifications</c> group reaches the page as one JSON frame, the GeoJSON feature inlined.</summary>
public sealed class NotificationsConsumer : WebSocketConsumer
{
    protected override IEnumerable<string> Groups => [NotificationInterceptor.Group];

    public ValueTask PostSaveAsync(LayerMessage message, CancellationToken cancellationToken) => ForwardAsync(message, cancellationToken);

    public ValueTask PostDeleteAsync(LayerMessage message, CancellationToken cancellationToken) => ForwardAsync(message, cancellationToken);

    public ValueTask AlertAsync(LayerMessage message, CancellationToken cancellationToken) => ForwardAsync(message, cancellationToken);

    /// <summary>Writes <c>{"type", "created"?, "feature", "areas_of_interest"?}</c>; the feature is already GeoJSON text.</summary>
    private ValueTask ForwardAsync(LayerMessage message, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", message.Type);
            if (message.TryGetValue("created", out var created))
            {
                writer.WriteBoolean("created", (bool)created!);
            }

            writer.WritePropertyName("feature");
            writer.WriteRawValue(message.GetString("feature"));
            if (message.TryGetValue("areas_of_interest", out var areas))
            {
                writer.WritePropertyName("areas_of_interest");
                JsonSerializer.Serialize(writer, areas);
            }

            writer.WriteEndObject();
        }

        return SendAsync(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), cancellationToken);
    }
}
