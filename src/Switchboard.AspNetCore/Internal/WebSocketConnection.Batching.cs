using Switchboard.Internal;

namespace Switchboard.AspNetCore.Internal;

internal sealed partial class WebSocketConnection
{
    // The consumer's listen loop batches the sends of a backlog of layer messages (WebSocketOutbox.Batch.cs). Before the
    // accept there is no outbox, and nothing to batch: a send then is refused anyway.
    void ISendBatching.BeginBatch() => Volatile.Read(ref _outbox)?.BeginBatch();

    void ISendBatching.EndBatch() => Volatile.Read(ref _outbox)?.EndBatch();
}
