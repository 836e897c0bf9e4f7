using Microsoft.Extensions.Options;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis;

/// <summary>Validates <see cref="RedisChannelLayerOptions"/> when they are built, so a bad setting fails at startup
/// (with <c>ValidateOnStart</c>) and names the setting and its allowed values.</summary>
internal sealed class RedisChannelLayerOptionsValidator : IValidateOptions<RedisChannelLayerOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisChannelLayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GetErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Returns every problem with the settings; empty when they are usable.</summary>
    public static List<string> GetErrors(RedisChannelLayerOptions options)
    {
        var errors = new List<string>();
        foreach (var host in options.Hosts)
        {
            if (!RedisHost.TryParse(host, out _, out var error))
            {
                errors.Add($"RedisChannelLayerOptions.Hosts: {error}");
            }
        }

        if (string.IsNullOrEmpty(options.Prefix) || !options.Prefix.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            errors.Add($"RedisChannelLayerOptions.Prefix is '{options.Prefix}'; use letters, digits, '-', '_', '.' and ':' only (default '{RedisChannelLayerOptions.DefaultPrefix}').");
        }

        AddIfNotWholeSeconds(errors, "Expiry", options.Expiry, RedisChannelLayerOptions.DefaultExpiry);
        AddIfNotWholeSeconds(errors, "GroupExpiry", options.GroupExpiry, RedisChannelLayerOptions.DefaultGroupExpiry);
        if (options.Capacity <= 0)
        {
            errors.Add($"RedisChannelLayerOptions.Capacity is {options.Capacity}; it must be positive (default {RedisChannelLayerOptions.DefaultCapacity}).");
        }

        foreach (var rule in options.ChannelCapacities)
        {
            if (rule is null)
            {
                errors.Add("RedisChannelLayerOptions.ChannelCapacities contains null; remove it.");
            }
            else if (rule.Validate() is { } error)
            {
                errors.Add($"RedisChannelLayerOptions.ChannelCapacities: {error}");
            }
        }

        if (options.RandomPrefixLength is < 1 or > 64)
        {
            errors.Add($"RedisChannelLayerOptions.RandomPrefixLength is {options.RandomPrefixLength}; it must be from 1 to 64 and the same in every process (channels_redis 4.0 uses {RedisChannelLayerOptions.DefaultRandomPrefixLength}).");
        }

        if (options.OperationTimeout <= TimeSpan.Zero || options.OperationTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"RedisChannelLayerOptions.OperationTimeout is {options.OperationTimeout}; it must be positive and at most an hour (default {RedisChannelLayerOptions.DefaultOperationTimeout}).");
        }

        if (options.SymmetricEncryptionKeys.Any(string.IsNullOrEmpty))
        {
            errors.Add("RedisChannelLayerOptions.SymmetricEncryptionKeys contains an empty key; remove it.");
        }

        return errors;
    }

    private static void AddIfNotWholeSeconds(List<string> errors, string name, TimeSpan value, TimeSpan defaultValue)
    {
        // Redis TTLs (EXPIRE) are whole seconds, as in channels_redis.
        if (value < TimeSpan.FromSeconds(1) || value.Ticks % TimeSpan.TicksPerSecond != 0 || value > TimeSpan.FromDays(10000))
        {
            errors.Add($"RedisChannelLayerOptions.{name} is {value}; it must be a whole number of seconds, at least 1 (default {defaultValue}).");
        }
    }
}
