namespace Switchboard.Routing;

public sealed partial class ChannelNameRouter
{
    /// <summary>Routes a worker channel to a consumer: <c>Map&lt;ThumbnailConsumer&gt;("thumbnails")</c>.</summary>
    /// <typeparam name="TConsumer">The consumer; one long-lived instance serves the channel.</typeparam>
    /// <param name="channel">The channel name.</param>
    /// <returns>This router.</returns>
    public ChannelNameRouter Map<TConsumer>(string channel)
        where TConsumer : Consumer => Map(channel, Consumer.AsApplication<TConsumer>());
}
