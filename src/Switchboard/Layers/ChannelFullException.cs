namespace Switchboard;

/// <summary>Thrown by <see cref="IChannelLayer.SendAsync"/> when the channel already holds its capacity of unread messages (Channels' <c>ChannelFull</c>).</summary>
public sealed class ChannelFullException : Exception
{
    /// <summary>Creates the exception for a channel.</summary>
    /// <param name="channel">The full channel.</param>
    /// <param name="capacity">Its capacity.</param>
    public ChannelFullException(string channel, int capacity)
        : base($"Channel '{channel}' is full: it holds its capacity of {capacity} unread messages. Its reader is slow or gone; retry later, raise the capacity, or drop the message.")
    {
        Channel = channel;
        Capacity = capacity;
    }

    /// <summary>Gets the full channel's name.</summary>
    public string Channel { get; }

    /// <summary>Gets the channel's capacity.</summary>
    public int Capacity { get; }
}
