using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Routing;

/// <summary>
/// A parsed ASP.NET Core style route template (<c>ws/chat/{room}/</c>), compiled to an anchored regular expression. The
/// core assembly has no ASP.NET Core reference, so this is a small compiler of its own.
/// </summary>
/// <remarks>
/// <para>Syntax as in ASP.NET Core: literal segments, <c>{name}</c>, inline constraints <c>{id:int:min(1)}</c>, optional
/// <c>{name?}</c>, defaults <c>{name=value}</c>, catch-all <c>{*rest}</c> / <c>{**rest}</c>, several parameters in one
/// segment separated by literals (<c>{name}.{ext?}</c>), and <c>{{</c> / <c>}}</c> for literal braces.</para>
/// <para>Matching follows Django Channels rather than ASP.NET Core where they differ: the path is matched without its
/// leading <c>/</c>, literals are case-sensitive, and a trailing <c>/</c> matters exactly as written.</para>
/// </remarks>
internal sealed class RouteTemplate
{
    /// <summary>How long one match may run: paths come from clients, so no pattern may be made to backtrack for long.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly List<Part[]> _segments;
    private readonly int _firstOmittableSegment;
    private readonly bool _endsWithSlash;

    private RouteTemplate(List<Part[]> segments, List<RouteParameter> parameters, bool endsWithSlash)
    {
        _segments = segments;
        Parameters = parameters;
        _endsWithSlash = endsWithSlash;

        _firstOmittableSegment = FindFirstOmittableSegment(segments);
    }

    /// <summary>Gets the parameters in template order; parameter <c>i</c> is captured by the group <see cref="GroupName"/>(i).</summary>
    public IReadOnlyList<RouteParameter> Parameters { get; }

    /// <summary>Returns the name of the regex group that captures parameter <paramref name="index"/>. Parameter names
    /// are not used as group names because ASP.NET Core allows names (<c>{my-id}</c>) that .NET group names do not.</summary>
    public static string GroupName(int index) => FormattableString.Invariant($"p{index}");

    /// <summary>Parses a template.</summary>
    /// <param name="template">The template, for example <c>ws/chat/{room}/</c>; a leading <c>/</c> or <c>~/</c> is ignored.</param>
    /// <returns>The parsed template.</returns>
    /// <exception cref="ArgumentException">The template is malformed; the message names the template and the problem.</exception>
    public static RouteTemplate Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new Parser(template).Parse();
    }

    /// <summary>Builds the regular expression that matches a path (without its leading <c>/</c>).</summary>
    /// <param name="prefix"><see langword="true"/> for a route to a nested router: the template must match a prefix of
    /// the path that ends at a segment boundary, and the rest goes to the nested router.</param>
    /// <returns>A regex that is anchored at the start, and at the end unless <paramref name="prefix"/>.</returns>
    public Regex CreateRegex(bool prefix)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < _segments.Count; i++)
        {
            if (i >= _firstOmittableSegment)
            {
                pattern.Append("(?:");
            }

            if (i > 0)
            {
                pattern.Append('/');
            }

            AppendSegment(pattern, _segments[i]);
        }

        for (var i = _firstOmittableSegment; i < _segments.Count; i++)
        {
            pattern.Append(")?");
        }

        if (_endsWithSlash)
        {
            pattern.Append('/');
        }

        if (!prefix)
        {
            pattern.Append(@"\z");
        }
        else if (!_endsWithSlash && _segments.Count > 0)
        {
            // "chat" as a prefix matches "chat" and "chat/lobby/" but not "chatroom/".
            pattern.Append(@"(?=/|\z)");
        }

        // Singleline: a catch-all takes everything, even a percent-decoded newline.
        return new Regex(
            pattern.ToString(),
            RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Singleline,
            MatchTimeout);
    }

    /// <summary>Finds the trailing run of segments that each hold one omittable parameter: they may be left out,
    /// together with the '/' before each of them, so "ws/{room?}" matches "ws" and "ws/lobby".</summary>
    private static int FindFirstOmittableSegment(List<Part[]> segments)
    {
        var first = segments.Count;
        while (first > 0 && segments[first - 1] is [{ Parameter.CanBeOmitted: true }])
        {
            first--;
        }

        return first;
    }

    private static void AppendSegment(StringBuilder pattern, Part[] parts)
    {
        // "{name}.{ext?}": try with the extension first so that "a.b.txt" gives name "a.b" and ext "txt" (ASP.NET Core
        // matches complex segments from the right), then without it. .NET allows the same group name in both branches.
        if (parts is [.., { Literal: "." }, { Parameter.IsOptional: true } optional])
        {
            pattern.Append("(?:");
            AppendParts(pattern, parts.AsSpan(0, parts.Length - 2));
            pattern.Append(@"\.");
            AppendParts(pattern, [optional]);
            pattern.Append('|');
            AppendParts(pattern, parts.AsSpan(0, parts.Length - 2));
            pattern.Append(')');
            return;
        }

        AppendParts(pattern, parts);
    }

    private static void AppendParts(StringBuilder pattern, ReadOnlySpan<Part> parts)
    {
        foreach (var part in parts)
        {
            if (part.Parameter is { } parameter)
            {
                pattern.Append("(?<").Append(GroupName(part.Index)).Append('>')
                    .Append(parameter.IsCatchAll ? ".*" : "[^/]+")
                    .Append(')');
            }
            else
            {
                pattern.Append(Regex.Escape(part.Literal!));
            }
        }
    }

    /// <summary>A literal or a parameter (with its index in <see cref="Parameters"/>) within a segment.</summary>
    private readonly record struct Part(string? Literal, RouteParameter? Parameter, int Index);

    /// <summary>Reads a template left to right, as ASP.NET Core's RoutePatternParser does.</summary>
    private sealed class Parser
    {
        private readonly string _template;
        private readonly string _text;
        private readonly List<Part[]> _segments = [];
        private readonly List<Part> _parts = [];
        private readonly List<RouteParameter> _parameters = [];
        private readonly StringBuilder _literal = new();

        public Parser(string template)
        {
            _template = template;
            _text = template.StartsWith("~/", StringComparison.Ordinal) ? template[2..]
                : template.StartsWith('/') ? template[1..]
                : template;
        }

        public RouteTemplate Parse()
        {
            var endsWithSlash = false;
            var i = 0;
            while (i < _text.Length)
            {
                var c = _text[i];
                switch (c)
                {
                    case '/':
                        EndSegment();
                        endsWithSlash = i == _text.Length - 1;
                        i++;
                        break;
                    case '{' when At(i + 1) == '{':
                    case '}' when At(i + 1) == '}':
                        _literal.Append(c);
                        i += 2;
                        break;
                    case '{':
                        FlushLiteral();
                        i = ParseParameter(i);
                        break;
                    case '}':
                        throw Invalid($"it has an unmatched '}}' at position {i}; write '}}}}' for a literal brace");
                    case '?':
                        throw Invalid("a literal cannot contain '?'; mark an optional parameter as {name?}, and read the query string from ConnectionScope.QueryString");
                    default:
                        _literal.Append(c);
                        i++;
                        break;
                }
            }

            FlushLiteral();
            if (_parts.Count > 0)
            {
                _segments.Add([.. _parts]);
            }

            Validate(endsWithSlash);
            return new RouteTemplate(_segments, _parameters, endsWithSlash);
        }

        private char At(int index) => index < _text.Length ? _text[index] : '\0';

        private void FlushLiteral()
        {
            if (_literal.Length > 0)
            {
                _parts.Add(new Part(_literal.ToString(), null, -1));
                _literal.Clear();
            }
        }

        private void EndSegment()
        {
            FlushLiteral();
            if (_parts.Count == 0)
            {
                throw Invalid("it has an empty segment; '/' cannot appear twice in a row");
            }

            _segments.Add([.. _parts]);
            _parts.Clear();
        }

        /// <summary>Reads <c>{...}</c> starting at <paramref name="open"/> and returns the index after its <c>}</c>.
        /// Inside a parameter, <c>{{</c> and <c>}}</c> stand for braces (<c>{code:regex(^\d{{3}}$)}</c>).</summary>
        private int ParseParameter(int open)
        {
            var content = new StringBuilder();
            var i = open + 1;
            while (true)
            {
                if (i >= _text.Length)
                {
                    throw Invalid($"the parameter that starts at position {open} has no closing '}}'");
                }

                var c = _text[i];
                if (c is '{' or '}' && At(i + 1) == c)
                {
                    content.Append(c);
                    i += 2;
                    continue;
                }

                if (c == '}')
                {
                    break;
                }

                if (c == '{')
                {
                    throw Invalid($"the parameter that starts at position {open} contains an unescaped '{{'; write '{{{{' for a literal brace");
                }

                content.Append(c);
                i++;
            }

            var parameter = CreateParameter(content.ToString());
            if (_parameters.Exists(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw Invalid($"the parameter name '{parameter.Name}' appears more than once (names compare case-insensitively)");
            }

            _parts.Add(new Part(null, parameter, _parameters.Count));
            _parameters.Add(parameter);
            return i + 1;
        }

        /// <summary>Parses <c>[*|**]name[:constraint[(argument)]]...[?|=default]</c>.</summary>
        private RouteParameter CreateParameter(string content)
        {
            var isCatchAll = content.StartsWith('*');
            var i = content.StartsWith("**", StringComparison.Ordinal) ? 2 : isCatchAll ? 1 : 0;
            var nameEnd = content.IndexOfAny([':', '=', '?'], i);
            nameEnd = nameEnd < 0 ? content.Length : nameEnd;
            var name = content[i..nameEnd];
            if (name.Length == 0 || name.AsSpan().IndexOfAny("{}/*") >= 0)
            {
                throw Invalid(
                    $"the parameter name '{name}' in '{{{content}}}' is invalid; names must be non-empty and cannot contain '{{', '}}', '/' or '*' "
                    + "('*' or '**' may only start a catch-all parameter, '?' may only end an optional one)");
            }

            i = nameEnd;
            var constraints = new List<RouteConstraint>();
            while (i < content.Length && content[i] == ':')
            {
                i = ParseConstraint(content, i + 1, constraints);
            }

            var isOptional = false;
            string? defaultValue = null;
            if (i < content.Length)
            {
                if (content[i] == '?' && i == content.Length - 1)
                {
                    isOptional = true;
                }
                else if (content[i] == '=')
                {
                    defaultValue = content[(i + 1)..];
                    if (defaultValue.EndsWith('?'))
                    {
                        throw Invalid($"the parameter '{name}' is both optional and has a default value; use one or the other");
                    }

                    if (defaultValue.Length == 0)
                    {
                        throw Invalid($"the parameter '{name}' has an empty default value; write a value after '=' or mark it optional with '?'");
                    }
                }
                else
                {
                    throw Invalid($"the parameter '{{{content}}}' has an unexpected '{content[i]}' at position {i}; write {{name:constraint?}} or {{name:constraint=default}}");
                }
            }

            if (isCatchAll && isOptional)
            {
                throw Invalid($"the catch-all parameter '{name}' cannot be marked optional; a catch-all already matches an empty rest");
            }

            var parameter = new RouteParameter(name, [.. constraints], defaultValue, isOptional, isCatchAll);
            if (defaultValue is not null && !parameter.Accepts(defaultValue))
            {
                throw Invalid($"the default value '{defaultValue}' of parameter '{name}' does not satisfy its constraints");
            }

            return parameter;
        }

        /// <summary>Parses one constraint starting at <paramref name="start"/> and returns the index after it. As in
        /// ASP.NET Core, a <c>)</c> closes the argument only when the parameter ends or a <c>:</c>, <c>=</c> or final
        /// <c>?</c> follows it, so regex arguments may contain parentheses and colons.</summary>
        private int ParseConstraint(string content, int start, List<RouteConstraint> constraints)
        {
            var i = start;
            while (i < content.Length && content[i] is not ('(' or ':' or '=' or '?'))
            {
                i++;
            }

            var name = content[start..i];
            string? argument = null;
            if (i < content.Length && content[i] == '(')
            {
                var close = -1;
                for (var j = i + 1; j < content.Length; j++)
                {
                    if (content[j] == ')' && (j + 1 == content.Length || content[j + 1] is ':' or '=' || (content[j + 1] == '?' && j + 2 == content.Length)))
                    {
                        close = j;
                        break;
                    }
                }

                if (close < 0)
                {
                    throw Invalid($"the constraint '{content[start..]}' has no closing ')'");
                }

                argument = content[(i + 1)..close];
                i = close + 1;
            }

            if (name.Length == 0)
            {
                throw Invalid($"the parameter '{{{content}}}' has an empty constraint; write a constraint name after ':'");
            }

            try
            {
                constraints.Add(RouteConstraint.Create(name, argument, content[start..i]));
            }
            catch (FormatException exception)
            {
                throw Invalid(exception.Message);
            }

            return i;
        }

        private void Validate(bool endsWithSlash)
        {
            for (var s = 0; s < _segments.Count; s++)
            {
                var parts = _segments[s];
                for (var p = 0; p < parts.Length; p++)
                {
                    if (parts[p].Parameter is not { } parameter)
                    {
                        continue;
                    }

                    if (p > 0 && parts[p - 1].Parameter is not null)
                    {
                        throw Invalid($"the parameters '{parts[p - 1].Parameter!.Name}' and '{parameter.Name}' follow each other in one segment; separate them with '/' or a literal");
                    }

                    if (parameter.IsCatchAll && (parts.Length > 1 || s < _segments.Count - 1 || endsWithSlash))
                    {
                        throw Invalid($"the catch-all parameter '{parameter.Name}' must be the whole last segment, with no '/' after it");
                    }

                    if (parameter.IsOptional && parts.Length > 1 && (p < parts.Length - 1 || parts[p - 1].Literal != "."))
                    {
                        throw Invalid($"the optional parameter '{parameter.Name}' shares a segment with other parts; it must then come last, right after '.' (as in {{name}}.{{ext?}})");
                    }
                }
            }

            // An optional parameter that is followed by a required segment could never be left out.
            var firstOmittable = FindFirstOmittableSegment(_segments);
            for (var s = 0; s < firstOmittable; s++)
            {
                if (_segments[s] is [{ Parameter: { IsOptional: true } parameter }])
                {
                    throw Invalid($"the optional parameter '{parameter.Name}' is followed by a required segment, so it could never be left out; make the later segments optional too or remove the '?'");
                }
            }
        }

        private ArgumentException Invalid(string problem) =>
            new($"The route template '{_template}' is invalid: {problem}.", "template");
    }
}
