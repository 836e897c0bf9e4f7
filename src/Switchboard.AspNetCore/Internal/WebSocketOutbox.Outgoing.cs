namespace Switchboard.AspNetCore.Internal;

internal sealed partial class WebSocketOutbox
{
    /// <summary>A queued message or the close frame.</summary>
    private readonly struct Outgoing
    {
        private Outgoing(WebSocketSendEvent? message, int closeCode, string? closeReason)
        {
            Message = message;
            CloseCode = closeCode;
            CloseReason = closeReason;
        }

        public WebSocketSendEvent? Message { get; }

        public int CloseCode { get; }

        public string? CloseReason { get; }

        public bool IsClose => Message is null;

        /// <summary>What it counts against <see cref="SwitchboardServerOptions.OutboundQueueMaxBytes"/>: its payload plus the
        /// fixed cost of a queued message, so that memory, not only payload, is what the budget bounds.</summary>
        public long Size => Message is null ? 0 : Message.Data.Length + SwitchboardServerOptions.OutboundMessageOverhead;

        public static Outgoing ForMessage(WebSocketSendEvent message) => new(message, 0, null);

        public static Outgoing ForClose(int code, string? reason) => new(null, code, reason);
    }
}
