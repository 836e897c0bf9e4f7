using Microsoft.Extensions.Options;

namespace Switchboard;

/// <summary>Validates any layer's options when they are built, so a bad setting fails at startup (with
/// <c>ValidateOnStart</c>) and names the setting and its allowed values.</summary>
/// <typeparam name="TOptions">The layer's options type.</typeparam>
internal sealed class ChannelLayerOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : ChannelLayerOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
