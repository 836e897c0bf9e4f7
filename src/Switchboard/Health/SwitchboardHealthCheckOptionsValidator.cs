using Microsoft.Extensions.Options;
using Switchboard.Internal;

namespace Switchboard;

/// <summary>Checks <see cref="SwitchboardHealthCheckOptions"/> when they are built; with <c>ValidateOnStart</c> a bad
/// value fails the host's start and names the setting.</summary>
internal sealed class SwitchboardHealthCheckOptionsValidator : IValidateOptions<SwitchboardHealthCheckOptions>
{
    public ValidateOptionsResult Validate(string? name, SwitchboardHealthCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures(nameof(SwitchboardHealthCheckOptions));
        failures.RequirePositive(options.LayerTimeout, nameof(options.LayerTimeout));
        failures.RequirePositive(options.MaxWorkerMessageDuration, nameof(options.MaxWorkerMessageDuration));
        return failures.Result;
    }
}
