namespace Switchboard;

/// <summary>
/// A channel layer (Channels' <c>channel_layer</c>): named channels that carry <see cref="LayerMessage"/>s between any code
/// in any process, and groups that broadcast to many channels.
/// </summary>
/// <remarks>
/// <para>Semantics every layer keeps (checked by the shipped conformance suite, <c>ChannelLayerTestsBase</c>): messages on
/// one channel arrive in order (FIFO) and at most once, to one reader; unread messages expire (default 60 s); a channel
/// holds at most its capacity (default 100) and <see cref="SendAsync"/> throws <see cref="ChannelFullException"/> beyond
/// it; group membership expires after the group expiry (default 1 day) since the last <see cref="GroupAddAsync"/>;
/// names are validated by <see cref="ChannelNames"/>.</para>
/// <para>Every operation may complete asynchronously and may fail (a network layer), and honours its token.</para>
/// </remarks>
public interface IChannelLayer
{
    /// <summary>Sends a message to a channel (Channels' <c>send</c>). The message becomes read-only.</summary>
    /// <param name="channel">The channel name.</param>
    /// <param name="message">The message; it needs a <c>type</c>.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the layer has stored the message.</returns>
    /// <exception cref="ArgumentException">The channel name is invalid.</exception>
    /// <exception cref="ChannelFullException">The channel holds its capacity of unread messages.</exception>
    ValueTask SendAsync(string channel, LayerMessage message, CancellationToken cancellationToken = default);

    /// <summary>Waits for the next message on a channel and takes it (Channels' <c>receive</c>). A message goes to one reader only.</summary>
    /// <param name="channel">The channel name; a process-specific name must be one <see cref="NewChannelAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancels the wait; a cancelled receive takes no message.</param>
    /// <returns>The message.</returns>
    ValueTask<LayerMessage> ReceiveAsync(string channel, CancellationToken cancellationToken = default);

    /// <summary>Creates a new process-specific channel name (Channels' <c>new_channel</c>), such as
    /// <c>specific.Ab3kQ!x9Yz</c>, that only this process receives on. Consumers get one each.</summary>
    /// <param name="prefix">The prefix before the process part; default <c>specific</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new channel name.</returns>
    ValueTask<string> NewChannelAsync(string prefix = "specific", CancellationToken cancellationToken = default);

    /// <summary>Adds a channel to a group (Channels' <c>group_add</c>). Idempotent; adding again refreshes the membership's expiry.</summary>
    /// <param name="group">The group name.</param>
    /// <param name="channel">The channel name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the membership is stored.</returns>
    ValueTask GroupAddAsync(string group, string channel, CancellationToken cancellationToken = default);

    /// <summary>Removes a channel from a group (Channels' <c>group_discard</c>); nothing happens when it is not a member.</summary>
    /// <param name="group">The group name.</param>
    /// <param name="channel">The channel name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the membership is gone.</returns>
    ValueTask GroupDiscardAsync(string group, string channel, CancellationToken cancellationToken = default);

    /// <summary>Sends a message to every channel in a group (Channels' <c>group_send</c>). Never throws for a full member:
    /// that member misses the message and the drop is counted and logged. The message becomes read-only and is not
    /// copied per member.</summary>
    /// <param name="group">The group name.</param>
    /// <param name="message">The message; it needs a <c>type</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the layer has stored the message for every member.</returns>
    ValueTask GroupSendAsync(string group, LayerMessage message, CancellationToken cancellationToken = default);

    /// <summary>Deletes every channel, message and group of this layer (Channels' <c>flush</c>); for tests.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the layer is empty.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}
