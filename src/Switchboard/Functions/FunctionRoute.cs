using Switchboard.Routing;

namespace Switchboard.Functions;

/// <summary>One entry of a <see cref="FunctionRouter"/>: a handler for a channel (an event type or a named channel) with
/// optional path and method filters, or an include of other routes under a path prefix.</summary>
internal sealed class FunctionRoute
{
    private FunctionRoute(string? channel, FunctionHandler? handler, UrlRoute? path, string? method, FunctionRouter? included)
    {
        Channel = channel;
        Handler = handler;
        Path = path;
        Method = method;
        Included = included;
    }

    public string? Channel { get; }

    public FunctionHandler? Handler { get; }

    /// <summary>Gets the path filter (the whole rest of the path for a handler, a prefix for an include), or <see langword="null"/>.</summary>
    public UrlRoute? Path { get; }

    public string? Method { get; }

    public FunctionRouter? Included { get; }

    public string Describe() => Included is not null
        ? $"include '{Path!.Pattern}'"
        : $"'{Channel}'{(Path is null ? "" : $" path '{Path.Pattern}'")}{(Method is null ? "" : $" method {Method}")}";

    public static FunctionRoute ForHandler(string channel, FunctionHandler handler, UrlRoute? path, string? method) =>
        new(channel, handler, path, method, included: null);

    public static FunctionRoute ForInclude(UrlRoute prefix, FunctionRouter routes) =>
        new(channel: null, handler: null, prefix, method: null, routes);
}
