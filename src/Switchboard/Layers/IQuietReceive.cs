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
    /// with <see langword="null"/> instead of throwing.</summary>
    ValueTask<LayerMessage?> ReceiveOrNullAsync(string channel, CancellationToken cancellationToken);
}
