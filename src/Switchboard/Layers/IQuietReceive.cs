namespace Switchboard;

/// <summary>
/// A layer whose receive can end without an exception: a consumer's listening loop ends its receive by cancelling it,
/// once per connection, and a receive that faults with <see cref="OperationCanceledException"/> then throws once per
/// connection end (the churn soak counted one per connection, docs/reliability.md). Layers that do not implement it
/// are cancelled the ordinary way.
/// </summary>
internal interface IQuietReceive
{
    /// <summary>Receives as <see cref="IChannelLayer.ReceiveAsync"/> does, except that a cancelled receive completes
    /// with <see langword="null"/> instead of throwing; and when the channel holds a backlog, also moves up to
    /// <see cref="MaxFollowing"/> of the messages after the returned one into <paramref name="following"/>, in order,
    /// taken under the same lock (the consumer's loop then handles them without a receive each).</summary>
    ValueTask<LayerMessage?> ReceiveOrNullAsync(string channel, List<LayerMessage>? following, CancellationToken cancellationToken);

    /// <summary>The most messages one receive moves into its <c>following</c> list: enough to take a burst's backlog
    /// with few locks, few enough that the messages taken stay a small part of the channel's budget.</summary>
    public const int MaxFollowing = 32;
}
