namespace Switchboard;

/// <summary>The names under which Switchboard publishes its diagnostics, to subscribe to them (for example
/// <c>AddMeter(SwitchboardDiagnostics.MeterName)</c> with OpenTelemetry).</summary>
public static class SwitchboardDiagnostics
{
    /// <summary>The meter every Switchboard instrument is published on: the interface server's, the consumers' and
    /// every channel layer's.</summary>
    public const string MeterName = "Switchboard";
}
