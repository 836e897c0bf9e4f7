using Microsoft.Extensions.Options;
using Switchboard.Internal;

namespace Switchboard.Security;

/// <summary>Checks <see cref="ConnectionLimitOptions"/>; <see cref="ConnectionLimiter"/> runs it on the options it is
/// given, so a bad limit fails where the application is built, with an <see cref="OptionsValidationException"/> naming it.</summary>
internal sealed class ConnectionLimitOptionsValidator : IValidateOptions<ConnectionLimitOptions>
{
    public static ConnectionLimitOptionsValidator Instance { get; } = new();

    public ValidateOptionsResult Validate(string? name, ConnectionLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures(nameof(ConnectionLimitOptions));
        failures.RequireAtLeast(options.MaxConnectionsPerUser, 0, nameof(options.MaxConnectionsPerUser), "(0: no limit)");
        failures.RequireAtLeast(options.MaxConnectionsPerClientAddress, 0, nameof(options.MaxConnectionsPerClientAddress), "(0: no limit)");
        return failures.Result;
    }
}
