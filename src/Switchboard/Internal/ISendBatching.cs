namespace Switchboard.Internal;

/// <summary>
/// Implemented by an interface server whose connection can write several messages together: the consumer's listen
/// loop says when it starts handing over a backlog of layer messages and when it stops (before it waits), so that the
/// sends in between can go out as one coalesced write instead of one write and flush each.
/// </summary>
internal interface ISendBatching
{
    /// <summary>Called before a layer message is handled, when no batch is open.</summary>
    void BeginBatch();

    /// <summary>Called before the consumer waits: for its next layer message, or for a handler that did not complete at once.</summary>
    void EndBatch();
}
