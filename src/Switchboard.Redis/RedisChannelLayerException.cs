namespace Switchboard.Redis;

/// <summary>
/// Thrown by the <see cref="RedisChannelLayer"/> when Redis cannot do an operation: the server is down or unreachable,
/// it did not answer within <see cref="RedisChannelLayerOptions.OperationTimeout"/>, or it refused the command. The
/// message names the host and the operation; <see cref="Exception.InnerException"/> holds the Redis client's error.
/// </summary>
/// <remarks>The layer reconnects by itself: a later operation succeeds once Redis is back.</remarks>
public sealed class RedisChannelLayerException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to check.</param>
    /// <param name="host">The host URL, without its password.</param>
    /// <param name="innerException">The Redis client's error.</param>
    public RedisChannelLayerException(string message, string host, Exception? innerException)
        : base(message, innerException)
    {
        Host = host;
    }

    /// <summary>Gets the Redis host the operation went to, without its password.</summary>
    public string Host { get; }
}
