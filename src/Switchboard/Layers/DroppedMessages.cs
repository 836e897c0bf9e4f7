namespace Switchboard;

/// <summary>
/// The marker a channel layer puts on a process-specific channel where messages for it were lost, so that loss is never
/// silent: a message of type <see cref="Type"/> with <see cref="CountKey"/> (how many were lost at that point) and
/// <see cref="ReasonKey"/> (<see cref="Budget"/> or <see cref="Expired"/>, the reason of the first loss there).
/// </summary>
/// <remarks>
/// Consecutive losses merge into one marker. <see cref="Consumer"/> turns the marker into a call of its
/// <c>OnMessagesDroppedAsync</c> hook (a WebSocket consumer closes with 1008 by default, so that the client reconnects
/// and resyncs); code that receives from a layer directly sees the marker as an ordinary message.
/// </remarks>
public static class DroppedMessages
{
    /// <summary>The marker's message type.</summary>
    public const string Type = "switchboard.messages.dropped";

    /// <summary>The key of the number of messages lost at the marker's place.</summary>
    public const string CountKey = "count";

    /// <summary>The key of the reason of the loss.</summary>
    public const string ReasonKey = "reason";

    /// <summary>The reason when the channel's byte budget (<see cref="ChannelLayerOptions.SpecificChannelMaxBytes"/>) was
    /// full: the reader is slower than its senders.</summary>
    public const string Budget = "budget";

    /// <summary>The reason when messages expired unread (<see cref="ChannelLayerOptions.Expiry"/>): the reader did not
    /// receive for that long.</summary>
    public const string Expired = "expired";

    /// <summary>Builds a read-only marker.</summary>
    internal static LayerMessage Create(long count, string reason)
    {
        var marker = new LayerMessage(Type) { [CountKey] = count, [ReasonKey] = reason };
        marker.MakeReadOnly();
        return marker;
    }
}
