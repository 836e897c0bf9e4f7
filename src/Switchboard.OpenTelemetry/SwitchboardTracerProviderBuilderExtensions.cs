using Switchboard;

namespace OpenTelemetry.Trace;

/// <summary>Adds Switchboard's spans to an OpenTelemetry tracer provider.</summary>
public static class SwitchboardTracerProviderBuilderExtensions
{
    /// <summary>
    /// Subscribes the tracer provider to the <c>Switchboard</c> activity source (docs/diagnostics.md, "Activities", lists
    /// the spans published on it), for whichever exporters and samplers the provider has.
    /// </summary>
    /// <param name="builder">The builder of <c>services.AddOpenTelemetry().WithTracing(...)</c>.</param>
    /// <returns>The builder, to chain more calls.</returns>
    public static TracerProviderBuilder AddSwitchboardInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(SwitchboardDiagnostics.ActivitySourceName);
    }
}
