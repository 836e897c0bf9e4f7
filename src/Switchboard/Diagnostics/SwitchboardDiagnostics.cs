namespace Switchboard;

/// <summary>
/// The names under which Switchboard publishes its diagnostics, to subscribe to them or filter them: the meter and the
/// activity source (with OpenTelemetry, <c>AddMeter(SwitchboardDiagnostics.MeterName)</c> and
/// <c>AddSource(SwitchboardDiagnostics.ActivitySourceName)</c>), and one log category per area (for example
/// <c>"Logging:LogLevel:Switchboard.Server": "Debug"</c>). docs/diagnostics.md lists every event, instrument and
/// activity published under them; a test keeps that page and the code in step.
/// </summary>
public static class SwitchboardDiagnostics
{
    /// <summary>The meter every Switchboard instrument is published on: the interface server's, the consumers' and
    /// every channel layer's.</summary>
    public const string MeterName = "Switchboard";

    /// <summary>The activity source every Switchboard span is started on: the interface server's handshakes, the
    /// consumers' handled events and every channel layer's calls. Nothing is started, and nothing is written into
    /// layer messages, while no listener subscribes to it.</summary>
    public const string ActivitySourceName = "Switchboard";

    /// <summary>The log category of the interface server (the ASP.NET Core adapter): handshakes, frames, HTTP
    /// connections, outbound queues. Event ids 1000-1999.</summary>
    public const string ServerLogCategory = "Switchboard.Server";

    /// <summary>The log category of the consumers' own events (handler failures, invalid JSON, dropped layer messages);
    /// a consumer's <c>Logger</c> for the application's messages keeps the consumer type's category. Event ids 2000-2999.</summary>
    public const string ConsumersLogCategory = "Switchboard.Consumers";

    /// <summary>The log category of the in-memory channel layer. Event ids 3000-3499.</summary>
    public const string InMemoryLayerLogCategory = "Switchboard.Layers.InMemory";

    /// <summary>The log category of the Redis channel layer. Event ids 3500-3999.</summary>
    public const string RedisLayerLogCategory = "Switchboard.Layers.Redis";

    /// <summary>The log category of the workers (<c>runworker</c>) and the function consumers they run. Event ids 4000-4999.</summary>
    public const string WorkersLogCategory = "Switchboard.Workers";

    /// <summary>The log category of the connection guards: origin checks, connection limits, authentication and
    /// authorization. Event ids 5000-5999.</summary>
    public const string SecurityLogCategory = "Switchboard.Security";
}
