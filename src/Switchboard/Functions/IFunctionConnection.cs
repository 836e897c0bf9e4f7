namespace Switchboard.Functions;

/// <summary>The connection a <see cref="FunctionMessage"/> came from: a WebSocket or HTTP consumer run by a <see cref="FunctionRouter"/>.</summary>
internal interface IFunctionConnection
{
    /// <summary>Gets the connection's own channel name, or <see langword="null"/> without a layer.</summary>
    string? ReplyChannelName { get; }

    /// <summary>Gets the state kept from connect to disconnect (1.x's <c>channel_session</c>).</summary>
    IDictionary<string, object?> Session { get; }

    ValueTask AcceptAsync(string? subprotocol, CancellationToken cancellationToken);

    ValueTask SendTextAsync(string text, CancellationToken cancellationToken);

    ValueTask SendBytesAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    ValueTask CloseAsync(int code, CancellationToken cancellationToken);

    ValueTask SendHeadersAsync(int status, IReadOnlyList<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken);

    ValueTask SendBodyAsync(ReadOnlyMemory<byte> body, bool moreBody, CancellationToken cancellationToken);

    /// <summary>Adds the reply channel to a group, remembered so that it is left when the connection ends.</summary>
    ValueTask GroupAddAsync(string group, CancellationToken cancellationToken);

    ValueTask GroupDiscardAsync(string group, CancellationToken cancellationToken);
}
