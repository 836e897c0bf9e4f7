namespace Switchboard;

/// <summary>The names under which Switchboard publishes its diagnostics, to subscribe to them (for example
/// <c>AddMeter(SwitchboardDiagnostics.MeterName)</c> and <c>AddSource(SwitchboardDiagnostics.ActivitySourceName)</c>
/// with OpenTelemetry).</summary>
public static class SwitchboardDiagnostics
{
    /// <summary>The meter every Switchboard instrument is published on: the interface server's, the consumers' and
    /// every channel layer's.</summary>
    public const string MeterName = "Switchboard";

    /// <summary>The activity source every Switchboard span is started on: the interface server's handshakes, the
    /// consumers' handled events and every channel layer's calls. Nothing is started, and nothing is written into
    /// layer messages, while no listener subscribes to it.</summary>
    public const string ActivitySourceName = "Switchboard";
}
