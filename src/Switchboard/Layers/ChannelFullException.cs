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

    private ChannelFullException(string channel, int capacity, long maxBytes, string message)
        : base(message)
    {
        Channel = channel;
        Capacity = capacity;
        MaxBytes = maxBytes;
    }

    /// <summary>Gets the full channel's name.</summary>
    public string Channel { get; }

    /// <summary>Gets the channel's capacity (its count limit; <see cref="int.MaxValue"/> for a process-specific channel
    /// that has no count limit).</summary>
    public int Capacity { get; }

    /// <summary>Gets the byte budget of a process-specific channel (<see cref="ChannelLayerOptions.SpecificChannelMaxBytes"/>),
    /// or 0 for a named channel.</summary>
    public long MaxBytes { get; }

    /// <summary>Creates the exception for a process-specific channel over its byte budget (or a count rule).</summary>
    internal static ChannelFullException ForSpecificChannel(string channel, int capacity, long maxBytes) => new(
        channel,
        capacity,
        maxBytes,
        $"Channel '{channel}' is full: it holds its budget of {maxBytes} bytes of unread messages" +
        (capacity == int.MaxValue ? "" : $" or its capacity of {capacity} messages") +
        ". Its consumer is not keeping up or is gone; retry later, raise ChannelLayerOptions.SpecificChannelMaxBytes, or drop the message.");
}
