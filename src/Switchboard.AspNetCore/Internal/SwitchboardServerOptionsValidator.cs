using Microsoft.Extensions.Options;

namespace Switchboard.AspNetCore.Internal;

/// <summary>Checks <see cref="SwitchboardServerOptions"/>; <c>MapSwitchboard()</c> runs it so that bad settings fail at startup.</summary>
internal sealed class SwitchboardServerOptionsValidator : IValidateOptions<SwitchboardServerOptions>
{
    public static SwitchboardServerOptionsValidator Instance { get; } = new();

    public ValidateOptionsResult Validate(string? name, SwitchboardServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? failures = null;

        RequirePositive(options.AcceptTimeout, nameof(options.AcceptTimeout));
        RequirePositive(options.ApplicationCloseTimeout, nameof(options.ApplicationCloseTimeout));
        RequirePositive(options.CloseHandshakeTimeout, nameof(options.CloseHandshakeTimeout));
        if (options.KeepAliveInterval < TimeSpan.Zero)
        {
            Fail($"{nameof(options.KeepAliveInterval)} must be zero (no pings) or positive; it is {options.KeepAliveInterval}.");
        }

        RequirePositive(options.KeepAliveTimeout, nameof(options.KeepAliveTimeout));
        RequirePositive(options.MaxConnectionLifetime, nameof(options.MaxConnectionLifetime));
        RequirePositive(options.HttpResponseTimeout, nameof(options.HttpResponseTimeout));
        if (options.MaxIncomingMessageSize < 1)
        {
            Fail($"{nameof(options.MaxIncomingMessageSize)} must be at least 1 byte; it is {options.MaxIncomingMessageSize}.");
        }

        if (!(options.IncomingMessageRateLimit >= 0) || double.IsInfinity(options.IncomingMessageRateLimit))
        {
            Fail($"{nameof(options.IncomingMessageRateLimit)} must be 0 (no limit) or a positive number of messages a second; it is {options.IncomingMessageRateLimit}.");
        }

        if (options.IncomingMessageBurst < 1)
        {
            Fail($"{nameof(options.IncomingMessageBurst)} must be at least 1 message; it is {options.IncomingMessageBurst}.");
        }

        if (options.OutboundQueueCapacity < 1)
        {
            Fail($"{nameof(options.OutboundQueueCapacity)} must be at least 1 message; it is {options.OutboundQueueCapacity}.");
        }

        if (options.OutboundQueueMaxBytes < 1)
        {
            Fail($"{nameof(options.OutboundQueueMaxBytes)} must be at least 1 byte; it is {options.OutboundQueueMaxBytes}.");
        }

        if (!Enum.IsDefined(options.OverflowPolicy))
        {
            Fail($"{nameof(options.OverflowPolicy)} '{options.OverflowPolicy}' is not one of {string.Join(", ", Enum.GetNames<WebSocketOverflowPolicy>())}.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void RequirePositive(TimeSpan value, string property)
        {
            if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                Fail($"{property} must be positive (or Timeout.InfiniteTimeSpan); it is {value}.");
            }
        }

        void Fail(string message) => (failures ??= []).Add($"SwitchboardServerOptions.{message}");
    }
}
