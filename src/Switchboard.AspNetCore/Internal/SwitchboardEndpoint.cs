using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.AspNetCore.Internal;

/// <summary>Builds the endpoint behind <c>MapSwitchboard()</c>.</summary>
internal static class SwitchboardEndpoint
{
    /// <summary>The endpoint's order: after every ordinary endpoint (order 0 and up), before fallbacks (<see cref="int.MaxValue"/>).</summary>
    public const int Order = int.MaxValue - 1;

    /// <summary>The display name of the endpoint, as diagnostics and logs show it.</summary>
    public const string DisplayName = "Switchboard";

    private const string CatchAllParameter = "switchboardPath";

    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string? prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var application = services.GetService<SwitchboardApplication>()
            ?? throw new InvalidOperationException(
                "MapSwitchboard() found no Switchboard application: call builder.Services.AddSwitchboard(application) before building the app.");

        var options = services.GetRequiredService<IOptions<SwitchboardServerOptions>>().Value;
        var validation = SwitchboardServerOptionsValidator.Instance.Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SwitchboardServerOptions), validation.Failures);
        }

        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var server = new SwitchboardServer(
            application.Application,
            options,
            loggerFactory,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            new SwitchboardMetrics(services.GetService<IMeterFactory>()),
            services.GetService<IHostApplicationLifetime>())
        {
            AccessLog = services.GetService<SwitchboardAccessLog>(),
        };

        // WebSocketMiddleware only adds the WebSocket feature (and checks WebSocketOptions.AllowedOrigins); wrapping the
        // endpoint in it makes UseWebSockets() unnecessary, and it leaves an existing feature alone when the app has it.
        var webSockets = new WebSocketMiddleware(
            server.HandleAsync, services.GetRequiredService<IOptions<WebSocketOptions>>(), loggerFactory);

        var template = (prefix is null ? "" : prefix.TrimEnd('/')) + "/{**" + CatchAllParameter + "}";
        var pattern = RoutePatternFactory.Parse(
            template,
            defaults: null,
            parameterPolicies: new RouteValueDictionary { [CatchAllParameter] = new SwitchboardRouteConstraint(server) });

        // The transport feature goes in first, so that the middleware's handshake upgrades through it and the outbox can
        // write its coalesced frames to the same stream as the WebSocket (see WebSocketTransportFeature).
        var builder = endpoints.Map(pattern, context =>
        {
            WebSocketTransportFeature.Install(context);
            return webSockets.Invoke(context);
        });
        builder.Add(static endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route)
            {
                route.Order = Order;
            }

            endpoint.DisplayName = DisplayName;
            endpoint.Metadata.Add(new SuppressLinkGenerationMetadata());
        });
        return builder;
    }
}
