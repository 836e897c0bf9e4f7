namespace Switchboard;

/// <summary>The scope types Switchboard's own servers produce. Any other string is a custom protocol.</summary>
public static class ScopeTypes
{
    /// <summary>An HTTP request.</summary>
    public const string Http = "http";

    /// <summary>A WebSocket connection.</summary>
    public const string WebSocket = "websocket";

    /// <summary>A worker listening on a named channel (<c>runworker</c>).</summary>
    public const string Channel = "channel";
}
