using Switchboard;

namespace OpenTelemetry.Metrics;

/// <summary>Adds Switchboard's instruments to an OpenTelemetry meter provider.</summary>
public static class SwitchboardMeterProviderBuilderExtensions
{
    /// <summary>
    /// Subscribes the meter provider to the <c>Switchboard</c> meter: every instrument of the interface server, the
    /// consumers, the channel layers and the workers (docs/diagnostics.md lists them), for whichever exporters the
    /// provider has, for example <c>AddPrometheusExporter()</c> behind <c>app.MapPrometheusScrapingEndpoint()</c>.
    /// </summary>
    /// <param name="builder">The builder of <c>services.AddOpenTelemetry().WithMetrics(...)</c>.</param>
    /// <returns>The builder, to chain more calls.</returns>
    public static MeterProviderBuilder AddSwitchboardInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(SwitchboardDiagnostics.MeterName);
    }
}
