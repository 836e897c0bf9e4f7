namespace Switchboard.Functions;

/// <summary>The handler a route found for an event, with the route values its path captured.</summary>
internal sealed record FunctionRouteMatch(FunctionHandler Handler, IReadOnlyDictionary<string, object?> Values);
