using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Routing;

public sealed partial class UrlRouter
{
    /// <summary>Routes a path template to a consumer: <c>Map&lt;ChatConsumer&gt;("ws/chat/{room}/")</c> is
    /// <c>path("ws/chat/&lt;room&gt;/", ChatConsumer.as_asgi())</c>.</summary>
    /// <typeparam name="TConsumer">The consumer; a new instance serves each connection.</typeparam>
    /// <param name="template">An ASP.NET Core route template.</param>
    /// <returns>This router.</returns>
    public UrlRouter Map<TConsumer>(string template)
        where TConsumer : Consumer => Map(template, Consumer.AsApplication<TConsumer>());

    /// <summary>Routes a regular expression to a consumer (Channels' <c>re_path</c>).</summary>
    /// <typeparam name="TConsumer">The consumer; a new instance serves each connection.</typeparam>
    /// <param name="pattern">A .NET regular expression with named groups, for example <c>^ws/chat/(?&lt;room&gt;\w+)/$</c>.</param>
    /// <returns>This router.</returns>
    public UrlRouter MapRegex<TConsumer>([StringSyntax(StringSyntaxAttribute.Regex)] string pattern)
        where TConsumer : Consumer => MapRegex(pattern, Consumer.AsApplication<TConsumer>());
}
