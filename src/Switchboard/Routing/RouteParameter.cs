namespace Switchboard.Routing;

/// <summary>
/// A value a route captures into <see cref="ConnectionScope.RouteValues"/>: a template parameter (<c>{room}</c>) or a
/// named group of a user's regular expression (<c>(?&lt;room&gt;\w+)</c>).
/// </summary>
/// <param name="name">The route value name.</param>
/// <param name="constraints">Checks the captured value must pass (template parameters only).</param>
/// <param name="defaultValue">The value used when the parameter is absent (<c>{room=lobby}</c>), or <see langword="null"/>.</param>
/// <param name="isOptional">Whether the parameter may be absent (<c>{room?}</c>).</param>
/// <param name="isCatchAll">Whether the parameter takes the rest of the path, slashes included (<c>{*rest}</c>).</param>
internal sealed class RouteParameter(string name, RouteConstraint[] constraints, string? defaultValue, bool isOptional, bool isCatchAll)
{
    public string Name { get; } = name;

    public RouteConstraint[] Constraints { get; } = constraints;

    public string? Default { get; } = defaultValue;

    public bool IsOptional { get; } = isOptional;

    public bool IsCatchAll { get; } = isCatchAll;

    /// <summary>Whether the segment holding this parameter alone may be left out of the path.</summary>
    public bool CanBeOmitted => IsOptional || IsCatchAll || Default is not null;

    /// <summary>Tells whether a value passes every constraint.</summary>
    public bool Accepts(ReadOnlySpan<char> value)
    {
        foreach (var constraint in Constraints)
        {
            if (!constraint.IsMatch(value))
            {
                return false;
            }
        }

        return true;
    }
}
