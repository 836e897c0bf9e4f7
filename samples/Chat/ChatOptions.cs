namespace Chat;

/// <summary>Timings of the reference app's long-lived HTTP endpoints; configuration section <c>Chat</c>.</summary>
public sealed class ChatOptions
{
    /// <summary>Gets or sets how long <c>GET /poll/notifications</c> waits before answering 204. Default 30 seconds.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often <c>GET /events/notifications</c> sends a heartbeat comment. Default 15 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
