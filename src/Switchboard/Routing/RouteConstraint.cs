using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.Routing;

/// <summary>
/// One inline constraint of a route template parameter (<c>{id:int}</c>, <c>{slug:regex(^[a-z-]+$)}</c>), with
/// ASP.NET Core's meaning for each name so that templates read as they do in ASP.NET Core.
/// </summary>
/// <remarks>
/// Every constraint is a check on the captured string, run after the template's regex matched, as ASP.NET Core runs
/// its constraints after the template matched. Inlining some of them into the template's regex would not be exact
/// (<c>int</c> must reject values that overflow, <c>guid</c> accepts five formats) and would split one rule into two places.
/// </remarks>
internal sealed class RouteConstraint
{
    private static readonly SearchValues<char> s_asciiLetters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private readonly Func<ReadOnlySpan<char>, bool> _isMatch;

    private RouteConstraint(Func<ReadOnlySpan<char>, bool> isMatch) => _isMatch = isMatch;

    /// <summary>Tells whether a captured (or default) value satisfies the constraint. Takes a span so that a value the
    /// route then rejects costs no string.</summary>
    public bool IsMatch(ReadOnlySpan<char> value) => _isMatch(value);

    /// <summary>Builds a constraint from its name and the text between its parentheses.</summary>
    /// <param name="name">The constraint name, for example <c>range</c>; case-insensitive, as in ASP.NET Core.</param>
    /// <param name="argument">The text between the parentheses, or <see langword="null"/> without parentheses.</param>
    /// <param name="text">The constraint as written, for messages.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="FormatException">Unknown name or bad arguments; the template parser adds the template to the message.</exception>
    public static RouteConstraint Create(string name, string? argument, string text)
    {
        Func<ReadOnlySpan<char>, bool> isMatch;
        switch (name.ToLowerInvariant())
        {
            case "int": isMatch = NoArgument(static v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)); break;
            case "long": isMatch = NoArgument(static v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)); break;
            case "bool": isMatch = NoArgument(static v => bool.TryParse(v, out _)); break;
            case "guid": isMatch = NoArgument(static v => Guid.TryParse(v, out _)); break;
            case "double": isMatch = NoArgument(static v => double.TryParse(v, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _)); break;
            case "float": isMatch = NoArgument(static v => float.TryParse(v, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _)); break;
            case "decimal": isMatch = NoArgument(static v => decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out _)); break;
            case "datetime": isMatch = NoArgument(static v => DateTime.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)); break;
            case "alpha": isMatch = NoArgument(static v => !v.ContainsAnyExcept(s_asciiLetters)); break;
            case "required": isMatch = NoArgument(static v => v.Length > 0); break;
            case "min":
                var min = Longs(1)[0];
                isMatch = v => ParseLong(v) >= min;
                break;
            case "max":
                var max = Longs(1)[0];
                isMatch = v => ParseLong(v) <= max;
                break;
            case "range":
                var range = Longs(2);
                var (low, high) = Ordered(range[0], range[1]);
                isMatch = v => ParseLong(v) is long n && n >= low && n <= high;
                break;
            case "length":
                var lengths = Ints(1, 2);
                var (shortest, longest) = lengths.Length == 1 ? (lengths[0], lengths[0]) : Ordered(lengths[0], lengths[1]);
                isMatch = v => v.Length >= shortest && v.Length <= longest;
                break;
            case "minlength":
                var minLength = Ints(1, 1)[0];
                isMatch = v => v.Length >= minLength;
                break;
            case "maxlength":
                var maxLength = Ints(1, 1)[0];
                isMatch = v => v.Length <= maxLength;
                break;
            case "regex":
                isMatch = Pattern();
                break;
            default:
                throw Bad(
                    "it is not a known constraint; use int, long, bool, guid, double, float, decimal, datetime, alpha, required, "
                    + "min(n), max(n), range(a,b), length(n), length(a,b), minlength(n), maxlength(n) or regex(pattern)");
        }

        return new RouteConstraint(isMatch);

        Func<ReadOnlySpan<char>, bool> NoArgument(Func<ReadOnlySpan<char>, bool> check) =>
            argument is null ? check : throw Bad("it takes no argument");

        string[] Arguments(int min, int max)
        {
            var parts = argument?.Split(',', StringSplitOptions.TrimEntries) ?? [];
            return parts.Length >= min && parts.Length <= max
                ? parts
                : throw Bad(min == max ? $"it takes {min} argument{(min == 1 ? "" : "s")} in parentheses" : $"it takes {min} to {max} arguments in parentheses");
        }

        long[] Longs(int count) =>
            [.. Arguments(count, count).Select(part => ParseLong(part) ?? throw Bad($"'{part}' is not an integer"))];

        int[] Ints(int min, int max) =>
            [.. Arguments(min, max).Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw Bad($"'{part}' is not a non-negative integer"))];

        (T Low, T High) Ordered<T>(T low, T high)
            where T : IComparable<T> =>
            low.CompareTo(high) <= 0 ? (low, high) : throw Bad($"its minimum {low} is greater than its maximum {high}");

        Func<ReadOnlySpan<char>, bool> Pattern()
        {
            if (string.IsNullOrEmpty(argument))
            {
                throw Bad("it needs a pattern in parentheses");
            }

            Regex regex;
            try
            {
                // As ASP.NET Core's RegexRouteConstraint: case-insensitive and not anchored (write ^ and $ to anchor).
                regex = new Regex(argument, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, RouteTemplate.MatchTimeout);
            }
            catch (ArgumentException exception)
            {
                throw Bad($"its pattern is invalid: {exception.Message}");
            }

            return regex.IsMatch;
        }

        // Lower case and no period: the template parser puts this into its own sentence.
        FormatException Bad(string problem) => new($"the constraint '{text}' is invalid: {problem}");
    }

    private static long? ParseLong(ReadOnlySpan<char> value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
