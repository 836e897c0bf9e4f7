namespace Switchboard;

/// <summary>Settings of the health checks that <c>AddSwitchboard(...).AddHealthChecks()</c> registers; bound and
/// validated like any options (a bad value fails the host's start).</summary>
public sealed class SwitchboardHealthCheckOptions
{
    /// <summary>The name of the channel-layer check, as it appears in the health report.</summary>
    public const string LayerCheckName = "switchboard.layer";

    /// <summary>The name of the workers check, as it appears in the health report.</summary>
    public const string WorkersCheckName = "switchboard.workers";

    /// <summary>The tag both checks carry, to map them alone (<c>MapHealthChecks("/healthz", new() { Predicate = r =&gt; r.Tags.Contains("switchboard") })</c>).</summary>
    public const string Tag = "switchboard";

    /// <summary>Gets or sets how long the layer check may take, for example for the Redis layer's <c>PING</c> to every
    /// host; past it the layer is unhealthy. Default 5 s.</summary>
    public TimeSpan LayerTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long a worker may spend on one message before the workers check reports it stuck
    /// (unhealthy). Default 1 minute: set it above the slowest job a worker legitimately runs.</summary>
    public TimeSpan MaxWorkerMessageDuration { get; set; } = TimeSpan.FromMinutes(1);
}
