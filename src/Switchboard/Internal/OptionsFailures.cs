using Microsoft.Extensions.Options;

namespace Switchboard.Internal;

/// <summary>
/// Collects an options validator's failures in one shape for every Switchboard options type:
/// <c>Type.Property must ...; it is value.</c>, so each message names the setting to fix and what it accepts.
/// </summary>
/// <param name="optionsType">The options type's name, which starts every message.</param>
internal sealed class OptionsFailures(string optionsType)
{
    private List<string>? _failures;

    /// <summary>Gets the validation result: success when nothing failed.</summary>
    public ValidateOptionsResult Result => _failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);

    /// <summary>Records a failure of one setting; <paramref name="rule"/> says what it must be and what it is.</summary>
    public void Fail(string property, string rule) => (_failures ??= []).Add($"{optionsType}.{property} {rule}");

    /// <summary>Requires a positive duration, or <see cref="Timeout.InfiniteTimeSpan"/> when <paramref name="allowInfinite"/>.</summary>
    public void RequirePositive(TimeSpan value, string property, bool allowInfinite = false)
    {
        if (value <= TimeSpan.Zero && !(allowInfinite && value == Timeout.InfiniteTimeSpan))
        {
            Fail(property, allowInfinite
                ? $"must be positive (or Timeout.InfiniteTimeSpan); it is {value}."
                : $"must be positive; it is {value}.");
        }
    }

    /// <summary>Requires an integer of at least <paramref name="minimum"/>.</summary>
    public void RequireAtLeast(long value, long minimum, string property, string unit)
    {
        if (value < minimum)
        {
            Fail(property, $"must be at least {minimum} {unit}; it is {value}.");
        }
    }
}
