using System.Collections.ObjectModel;

namespace Switchboard.Internal;

/// <summary>The route values of a scope no router has matched.</summary>
internal static class EmptyRouteValues
{
    public static IReadOnlyDictionary<string, object?> Instance { get; } =
        new ReadOnlyDictionary<string, object?>(new Dictionary<string, object?>());
}
