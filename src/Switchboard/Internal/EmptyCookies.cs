using System.Collections.ObjectModel;

namespace Switchboard.Internal;

/// <summary>The cookies of a scope built without any.</summary>
internal static class EmptyCookies
{
    public static IReadOnlyDictionary<string, string> Instance { get; } =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());
}
