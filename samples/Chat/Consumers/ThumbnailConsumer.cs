using Switchboard;

namespace Chat.Consumers;

/// <summary>
/// The worker on channel <c>thumbnails</c>: "processes" each <c>generate</c> job for 10 ms, then tells the
/// <c>notifications</c> group <c>{"thumbnail": N}</c>.
/// </summary>
public sealed class ThumbnailConsumer(TimeProvider timeProvider) : Consumer
{
    public const string Channel = "thumbnails";

    /// <summary>Handles <c>generate</c>.</summary>
    public async Task GenerateAsync(LayerMessage message, CancellationToken cancellationToken)
    {
        var id = message.GetInt64("id");
        await Task.Delay(TimeSpan.FromMilliseconds(10), timeProvider, cancellationToken);

        // The payload is the text frame listeners get; spelled as Python's json.dumps writes it, like the Django app.
        await GroupSendAsync(NotifyConsumer.Group, new LayerMessage("notify") { ["payload"] = $"{{\"thumbnail\": {id}}}" }, cancellationToken);
    }
}
