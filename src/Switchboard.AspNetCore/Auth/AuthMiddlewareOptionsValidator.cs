using Microsoft.Extensions.Options;
using Switchboard.Internal;

namespace Switchboard.Auth;

/// <summary>Checks <see cref="AuthMiddlewareOptions"/>; <see cref="AuthMiddleware"/> runs it on the options it reads, so
/// inconsistent settings fail the first connection with an <see cref="OptionsValidationException"/> that names them.</summary>
internal sealed class AuthMiddlewareOptionsValidator : IValidateOptions<AuthMiddlewareOptions>
{
    public static AuthMiddlewareOptionsValidator Instance { get; } = new();

    public ValidateOptionsResult Validate(string? name, AuthMiddlewareOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures(nameof(AuthMiddlewareOptions));
        if (options.RevalidationInterval < TimeSpan.Zero)
        {
            failures.Fail(nameof(options.RevalidationInterval), $"must be zero (off) or positive; it is {options.RevalidationInterval}.");
        }
        else if (options.RevalidationInterval > TimeSpan.Zero && options.RevalidateUser is null)
        {
            failures.Fail(nameof(options.RevalidationInterval), "is set but RevalidateUser is not: give the re-check to run, or set the interval to zero.");
        }

        return failures.Result;
    }
}
