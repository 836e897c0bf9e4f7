namespace Switchboard.Redis;

/// <summary>
/// Settings of the <see cref="RedisChannelLayer"/> (the <c>CONFIG</c> of channels_redis' <c>RedisChannelLayer</c>).
/// Bindable from configuration, for example the section
/// <c>{ "Hosts": [ "redis://127.0.0.1:6379/0" ], "Prefix": "asgi", "Expiry": "00:01:00", "Capacity": 100 }</c>.
/// </summary>
/// <remarks>
/// Every process that shares a Redis, Switchboard or Django, must agree on <see cref="Hosts"/> (the same hosts in the
/// same order: the order defines the shard ring), <see cref="Prefix"/> and <see cref="SymmetricEncryptionKeys"/>, and
/// should agree on <see cref="Expiry"/> and <see cref="GroupExpiry"/>.
/// </remarks>
public sealed class RedisChannelLayerOptions
{
    /// <summary>The default <see cref="Hosts"/> entry: <c>redis://localhost:6379</c>, as channels_redis.</summary>
    public const string DefaultHost = "redis://localhost:6379";

    /// <summary>The default <see cref="Prefix"/>: <c>asgi</c>, as channels_redis.</summary>
    public const string DefaultPrefix = "asgi";

    /// <summary>The default <see cref="RandomPrefixLength"/>: 12 bytes, as channels_redis 4.</summary>
    public const int DefaultRandomPrefixLength = 12;

    /// <summary>The default <see cref="Expiry"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromSeconds(60);

    /// <summary>The default <see cref="GroupExpiry"/>: 86400 seconds (one day).</summary>
    public static readonly TimeSpan DefaultGroupExpiry = TimeSpan.FromSeconds(86400);

    /// <summary>The default <see cref="Capacity"/>: 100 messages.</summary>
    public const int DefaultCapacity = 100;

    /// <summary>The default <see cref="OperationTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultOperationTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Gets the Redis servers (channels_redis' <c>hosts</c>), as URLs: <c>redis://[:password@]host[:port][/db]</c>,
    /// <c>rediss://</c> for TLS, <c>unix:///path/to/redis.sock[?db=N&amp;password=...]</c>. With several hosts, channels and
    /// groups are sharded over them with channels_redis' CRC-32 ring, so every process must list the same hosts in the
    /// same order. Empty means <see cref="DefaultHost"/>.</summary>
    public IList<string> Hosts { get; } = new List<string>();

    /// <summary>Gets or sets the text in front of every Redis key (channels_redis' <c>prefix</c>). Default <c>asgi</c>:
    /// channel keys are <c>asgi&lt;channel&gt;</c>, groups <c>asgi:group:&lt;group&gt;</c>. Letters, digits and
    /// <c>- _ . :</c> only.</summary>
    public string Prefix { get; set; } = DefaultPrefix;

    /// <summary>Gets or sets how long an unread message lives (channels_redis' <c>expiry</c>); also the TTL of channel
    /// keys. An expired message is never delivered, and a group send that finds a member's messages expired drops that
    /// member from the group (its reader is gone). Default 60 s; at least 1 s, in whole seconds.</summary>
    public TimeSpan Expiry { get; set; } = DefaultExpiry;

    /// <summary>Gets or sets how long a group membership lasts after the last
    /// <see cref="IChannelLayer.GroupAddAsync"/> (channels_redis' <c>group_expiry</c>); also the TTL of group keys.
    /// Default 86400 s; at least 1 s, in whole seconds.</summary>
    public TimeSpan GroupExpiry { get; set; } = DefaultGroupExpiry;

    /// <summary>Gets or sets how many messages a Redis channel key holds before <see cref="IChannelLayer.SendAsync"/>
    /// throws <see cref="ChannelFullException"/> and group sends skip it (channels_redis' <c>capacity</c>). A process's
    /// key is shared by all its consumers, and its receive loop drains it continuously. Default 100; must be positive.</summary>
    public int Capacity { get; set; } = DefaultCapacity;

    /// <summary>Gets the per-channel capacities (channels_redis' <c>channel_capacity</c>), tried in order against the
    /// full channel name; the first rule that matches sets its capacity, and <see cref="Capacity"/> applies when none does.</summary>
    public IList<ChannelCapacityRule> ChannelCapacities { get; } = new List<ChannelCapacityRule>();

    /// <summary>Gets or sets how many random bytes precede each stored message (channels_redis 4.2's
    /// <c>random_prefix_length</c>; 4.0 always uses 12). Every process sharing the Redis must use the same length.
    /// Default 12; 1 to 64.</summary>
    public int RandomPrefixLength { get; set; } = DefaultRandomPrefixLength;

    /// <summary>Gets or sets how long one Redis operation (a send, a group operation, connecting) may take before it
    /// fails with a <see cref="RedisChannelLayerException"/>: when Redis is down or unreachable, callers learn it
    /// within this time instead of hanging. Default 5 s; must be positive.</summary>
    public TimeSpan OperationTimeout { get; set; } = DefaultOperationTimeout;

    /// <summary>Gets the keys that encrypt messages at rest in Redis (channels_redis' <c>symmetric_encryption_keys</c>,
    /// Fernet): the first key encrypts, every key is tried to decrypt, so put a new key first and keep the old one
    /// after it while you rotate. Every process sharing the Redis needs the same keys. Empty (the default) means no
    /// encryption.</summary>
    public IList<string> SymmetricEncryptionKeys { get; } = new List<string>();
}
