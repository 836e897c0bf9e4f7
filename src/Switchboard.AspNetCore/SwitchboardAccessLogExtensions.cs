using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.AspNetCore.Internal;

namespace Switchboard.AspNetCore;

/// <summary>Daphne's access log (<c>--access-log</c>) for a Switchboard host.</summary>
public static class SwitchboardAccessLogExtensions
{
    /// <summary>
    /// Registers the access log, written to <paramref name="writer"/> in daphne's format: one line per HTTP request
    /// (<c>127.0.0.1:50312 - - [03/Dec/2026:06:45:12] "GET /poll/notifications" 204 - 0.012s</c>) and per WebSocket
    /// connecting, connect, reject (with the HTTP status) and disconnect (with the close code and the connection's
    /// duration). Call <see cref="UseSwitchboardAccessLog"/> too, so that plain HTTP requests are logged.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="writer">Where lines go, for example <see cref="Console.Out"/> or a file's writer; flushed after each line.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSwitchboardAccessLog(this IServiceCollection services, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(writer);
        services.Replace(ServiceDescriptor.Singleton(sp => new SwitchboardAccessLog(writer, sp.GetService<TimeProvider>() ?? TimeProvider.System)));
        return services;
    }

    /// <summary>Logs every HTTP request that passes this point of the pipeline; put it first, after
    /// <c>UseForwardedHeaders()</c> so that the client address is the forwarded one.</summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder.</returns>
    /// <exception cref="InvalidOperationException"><see cref="AddSwitchboardAccessLog"/> was not called.</exception>
    public static IApplicationBuilder UseSwitchboardAccessLog(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var log = app.ApplicationServices.GetService<SwitchboardAccessLog>()
            ?? throw new InvalidOperationException("UseSwitchboardAccessLog() needs services.AddSwitchboardAccessLog(writer) first.");
        return app.UseMiddleware<AccessLogMiddleware>(log);
    }
}
