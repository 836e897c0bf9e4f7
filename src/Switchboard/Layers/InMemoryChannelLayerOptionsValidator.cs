using Microsoft.Extensions.Options;

namespace Switchboard;

/// <summary>Validates <see cref="InMemoryChannelLayerOptions"/> when they are built, so a bad setting fails at startup
/// (with <c>ValidateOnStart</c>) and names the setting and its allowed values.</summary>
internal sealed class InMemoryChannelLayerOptionsValidator : IValidateOptions<InMemoryChannelLayerOptions>
{
    public ValidateOptionsResult Validate(string? name, InMemoryChannelLayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
