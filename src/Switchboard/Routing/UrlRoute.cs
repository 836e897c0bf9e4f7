using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.Routing;

/// <summary>
/// One entry of a <see cref="UrlRouter"/>: a compiled pattern (from a template or a user's regex), the values it captures
/// and the application it leads to. Immutable, so matching is thread-safe.
/// </summary>
internal sealed class UrlRoute
{
    private readonly Regex _regex;
    private readonly RouteParameter[] _parameters;
    private readonly int[] _groupNumbers;
    private readonly bool _mustReachEnd;

    private UrlRoute(string pattern, Regex regex, RouteParameter[] parameters, int[] groupNumbers, bool mustReachEnd, IApplication application)
    {
        Pattern = pattern;
        _regex = regex;
        _parameters = parameters;
        _groupNumbers = groupNumbers;
        _mustReachEnd = mustReachEnd;
        Application = application;
    }

    /// <summary>Gets the template or regex as the user wrote it.</summary>
    public string Pattern { get; }

    /// <summary>Gets the application the route leads to.</summary>
    public IApplication Application { get; }

    /// <summary>Gets whether the route leads to a nested router, and so matches a prefix of the path.</summary>
    public bool IsPrefix => Application is UrlRouter;

    /// <summary>Compiles a route template; a route to a nested router matches a prefix, any other route the whole path.</summary>
    /// <exception cref="ArgumentException">The template is malformed.</exception>
    public static UrlRoute FromTemplate(string template, IApplication application) =>
        FromTemplate(template, application, prefix: application is UrlRouter);

    /// <summary>Compiles a route template that matches a prefix of the path or the whole path, whatever it leads to
    /// (function routes and their includes).</summary>
    /// <exception cref="ArgumentException">The template is malformed.</exception>
    public static UrlRoute FromTemplate(string template, IApplication application, bool prefix)
    {
        var parsed = RouteTemplate.Parse(template);
        var regex = parsed.CreateRegex(prefix);
        var groupNumbers = new int[parsed.Parameters.Count];
        for (var i = 0; i < groupNumbers.Length; i++)
        {
            groupNumbers[i] = regex.GroupNumberFromName(RouteTemplate.GroupName(i));
        }

        return new UrlRoute(template, regex, [.. parsed.Parameters], groupNumbers, mustReachEnd: false, application);
    }

    /// <summary>Wraps a user's regex, used as written (Channels' <c>re_path</c>): it is searched for in the path, so
    /// the user anchors with <c>^</c> and <c>$</c>. Named groups become route values; unnamed groups are ignored.</summary>
    public static UrlRoute FromRegex(Regex regex, IApplication application) =>
        FromRegex(regex, application, prefix: application is UrlRouter);

    /// <summary>Wraps a user's regex for a prefix (an include) or an endpoint (a function route).</summary>
    public static UrlRoute FromRegex(Regex regex, IApplication application, bool prefix)
    {
        var parameters = new List<RouteParameter>();
        var groupNumbers = new List<int>();
        foreach (var number in regex.GetGroupNumbers())
        {
            var name = regex.GroupNameFromNumber(number);
            if (name != number.ToString(CultureInfo.InvariantCulture))
            {
                parameters.Add(new RouteParameter(name, [], defaultValue: null, isOptional: true, isCatchAll: false));
                groupNumbers.Add(number);
            }
        }

        // Django matches an endpoint pattern that ends in '$' with fullmatch; .NET's '$' also matches before a final
        // newline (a percent-decoded %0A), so such a leaf route must also reach the end of the path.
        var pattern = regex.ToString();
        var mustReachEnd = !prefix && pattern.EndsWith('$');
        return new UrlRoute(pattern, regex, [.. parameters], [.. groupNumbers], mustReachEnd, application);
    }

    /// <summary>Matches the path from <paramref name="start"/> (past its leading slashes).</summary>
    /// <param name="path">The path, or what outer routers left of it.</param>
    /// <param name="start">Where matching starts: the index after the leading slashes.</param>
    /// <param name="outerValues">The route values outer routers captured.</param>
    /// <param name="remaining">The rest of the path after the match, without leading slashes.</param>
    /// <param name="values">The outer values merged with this route's captures and defaults; the same instance as
    /// <paramref name="outerValues"/> when the route adds nothing.</param>
    /// <returns>Whether the route matched and every constraint holds.</returns>
    /// <exception cref="RegexMatchTimeoutException">The pattern ran longer than its timeout.</exception>
    public bool TryMatch(
        string path,
        int start,
        IReadOnlyDictionary<string, object?> outerValues,
        [NotNullWhen(true)] out string? remaining,
        [NotNullWhen(true)] out IReadOnlyDictionary<string, object?>? values)
    {
        remaining = null;
        values = null;

        // Match(input, beginning, length) treats the substring as the whole input, so '^' anchors after the slashes
        // and the path needs no trimmed copy.
        var match = _regex.Match(path, start, path.Length - start);
        var end = match.Index + match.Length;
        if (!match.Success || (_mustReachEnd && end != path.Length))
        {
            return false;
        }

        // Check every constraint before building anything, so a rejected match allocates no dictionary.
        for (var i = 0; i < _parameters.Length; i++)
        {
            var group = match.Groups[_groupNumbers[i]];
            if (IsPresent(_parameters[i], group) && !_parameters[i].Accepts(group.ValueSpan))
            {
                return false;
            }
        }

        Dictionary<string, object?>? merged = null;
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var group = match.Groups[_groupNumbers[i]];
            var value = IsPresent(parameter, group) ? group.Value : parameter.Default;
            if (value is null)
            {
                continue;
            }

            merged ??= Copy(outerValues, _parameters.Length);
            merged[parameter.Name] = value;
        }

        while (end < path.Length && path[end] == '/')
        {
            end++;
        }

        remaining = path[end..];
        values = merged ?? outerValues;
        return true;
    }

    /// <summary>A group that did not take part is absent (Django drops <c>None</c> groups); so is an empty catch-all.</summary>
    private static bool IsPresent(RouteParameter parameter, Group group) =>
        group.Success && !(parameter.IsCatchAll && group.Length == 0);

    private static Dictionary<string, object?> Copy(IReadOnlyDictionary<string, object?> outerValues, int extra)
    {
        var copy = new Dictionary<string, object?>(outerValues.Count + extra, StringComparer.Ordinal);
        foreach (var (name, value) in outerValues)
        {
            copy[name] = value;
        }

        return copy;
    }
}
