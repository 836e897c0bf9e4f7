using Switchboard.Redis.Internal;

namespace Switchboard.Redis;

/// <summary>
/// Settings of the <see cref="RedisChannelLayer"/> (the <c>CONFIG</c> of channels_redis' <c>RedisChannelLayer</c>): the
/// shared <see cref="ChannelLayerOptions"/> plus the Redis hosts, key prefix, random prefix length, operation timeout
/// and encryption keys. Bindable from configuration, for example the section
/// <c>{ "Hosts": [ "redis://127.0.0.1:6379/0" ], "Prefix": "asgi", "Expiry": "00:01:00", "Capacity": 100 }</c>.
/// </summary>
/// <remarks>
/// <para>Every process that shares a Redis, Switchboard or Django, must agree on <see cref="Hosts"/> (the same hosts in
/// the same order: the order defines the shard ring), <see cref="Prefix"/>, <see cref="RandomPrefixLength"/> and
/// <see cref="SymmetricEncryptionKeys"/>, and should agree on <see cref="ChannelLayerOptions.Expiry"/> and
/// <see cref="ChannelLayerOptions.GroupExpiry"/>. Expiry and group expiry are Redis TTLs, so they are whole seconds.</para>
/// <para>Capacities: a named channel's Redis key holds at most <see cref="ChannelLayerOptions.Capacity"/> messages, as in
/// channels_redis. A process's key, shared by all its consumers and drained continuously by its receive loop, has no
/// count limit unless a <see cref="ChannelLayerOptions.ChannelCapacities"/> rule matches; each of its channels is
/// bounded by <see cref="ChannelLayerOptions.SpecificChannelMaxBytes"/> in the receiving process.</para>
/// </remarks>
public sealed class RedisChannelLayerOptions : ChannelLayerOptions
{
    /// <summary>The default <see cref="Hosts"/> entry: <c>redis://localhost:6379</c>, as channels_redis.</summary>
    public const string DefaultHost = "redis://localhost:6379";

    /// <summary>The default <see cref="Prefix"/>: <c>asgi</c>, as channels_redis.</summary>
    public const string DefaultPrefix = "asgi";

    /// <summary>The default <see cref="RandomPrefixLength"/>: 12 bytes, as channels_redis 4.</summary>
    public const int DefaultRandomPrefixLength = 12;

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

    /// <summary>Gets or sets how many random bytes precede each stored message (channels_redis 4.2's
    /// <c>random_prefix_length</c>; 4.0 always uses 12). Every process sharing the Redis must use the same length.
    /// Default 12; 1 to 64.</summary>
    public int RandomPrefixLength { get; set; } = DefaultRandomPrefixLength;

    /// <summary>Gets or sets how long one Redis operation (a send, a group operation, connecting) may take before it
    /// fails with a <see cref="RedisChannelLayerException"/>: when Redis is down or unreachable, callers learn it
    /// within this time instead of hanging. Default 5 s; positive, at most an hour.</summary>
    public TimeSpan OperationTimeout { get; set; } = DefaultOperationTimeout;

    /// <summary>Gets the keys that encrypt messages at rest in Redis (channels_redis' <c>symmetric_encryption_keys</c>,
    /// Fernet): the first key encrypts, every key is tried to decrypt, so put a new key first and keep the old one
    /// after it while you rotate. Every process sharing the Redis needs the same keys. Empty (the default) means no
    /// encryption.</summary>
    public IList<string> SymmetricEncryptionKeys { get; } = new List<string>();

    /// <inheritdoc />
    public override IList<string> Validate()
    {
        var errors = base.Validate();
        foreach (var host in Hosts)
        {
            if (!RedisHost.TryParse(host, out _, out var error))
            {
                errors.Add($"RedisChannelLayerOptions.Hosts: {error}");
            }
        }

        if (string.IsNullOrEmpty(Prefix) || !Prefix.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            errors.Add($"RedisChannelLayerOptions.Prefix is '{Prefix}'; use letters, digits, '-', '_', '.' and ':' only (default '{DefaultPrefix}').");
        }

        AddIfNotWholeSeconds(errors, nameof(Expiry), Expiry, DefaultExpiry);
        AddIfNotWholeSeconds(errors, nameof(GroupExpiry), GroupExpiry, DefaultGroupExpiry);
        if (RandomPrefixLength is < 1 or > 64)
        {
            errors.Add($"RedisChannelLayerOptions.RandomPrefixLength is {RandomPrefixLength}; it must be from 1 to 64 and the same in every process (channels_redis 4.0 uses {DefaultRandomPrefixLength}).");
        }

        if (OperationTimeout <= TimeSpan.Zero || OperationTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"RedisChannelLayerOptions.OperationTimeout is {OperationTimeout}; it must be positive and at most an hour (default {DefaultOperationTimeout}).");
        }

        if (SymmetricEncryptionKeys.Any(string.IsNullOrEmpty))
        {
            errors.Add("RedisChannelLayerOptions.SymmetricEncryptionKeys contains an empty key; remove it.");
        }

        return errors;
    }

    private static void AddIfNotWholeSeconds(IList<string> errors, string name, TimeSpan value, TimeSpan defaultValue)
    {
        // Redis TTLs (EXPIRE) are whole seconds, as in channels_redis.
        if (value > TimeSpan.Zero && (value < TimeSpan.FromSeconds(1) || value.Ticks % TimeSpan.TicksPerSecond != 0 || value > TimeSpan.FromDays(10000)))
        {
            errors.Add($"RedisChannelLayerOptions.{name} is {value}; the Redis layer needs a whole number of seconds, at least 1, at most 10000 days (default {defaultValue}).");
        }
    }
}
