namespace Switchboard;

/// <summary>WebSocket close codes (RFC 6455 section 7.4) used by Switchboard. Applications may use any code in 3000–4999.</summary>
public static class WebSocketCloseCode
{
    /// <summary>1000: normal closure.</summary>
    public const int NormalClosure = 1000;

    /// <summary>1001: the server is going away (host shutdown) or the browser navigated away.</summary>
    public const int GoingAway = 1001;

    /// <summary>1002: protocol error.</summary>
    public const int ProtocolError = 1002;

    /// <summary>1003: a data type the endpoint does not accept (for example a binary frame sent to a JSON consumer).</summary>
    public const int UnsupportedData = 1003;

    /// <summary>1005: the close frame carried no status code.</summary>
    public const int NoStatusReceived = 1005;

    /// <summary>1006: the connection dropped without a close frame.</summary>
    public const int AbnormalClosure = 1006;

    /// <summary>1007: a message whose payload is invalid, for example text that is not valid JSON.</summary>
    public const int InvalidPayloadData = 1007;

    /// <summary>1008: a policy violation, for example a client that stopped reading and overflowed its outbound queue.</summary>
    public const int PolicyViolation = 1008;

    /// <summary>1009: a message larger than the configured maximum.</summary>
    public const int MessageTooBig = 1009;

    /// <summary>1011: the application failed while handling an event.</summary>
    public const int InternalServerError = 1011;
}
